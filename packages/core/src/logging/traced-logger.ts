import type { LogFn, Logger } from './logger';

/**
 * `log` with `fields` (a message's `trace_id` and `span_id`) bound, made only when a line is
 * written: a route passes one per traced message to the code that may log about it, and most
 * messages never log. `log` itself when there are no fields (tracing off).
 */
export function tracedLogger(log: Logger, fields: Record<string, unknown> | undefined): Logger {
  if (fields === undefined) return log;
  let bound: Logger | undefined;
  const get = () => (bound ??= log.child(fields));
  const method = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'): LogFn =>
    ((...args: [object | string, string?]) => (get()[level] as (...a: unknown[]) => void)(...args)) as LogFn;
  return {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    child: (bindings) => get().child(bindings),
  };
}
