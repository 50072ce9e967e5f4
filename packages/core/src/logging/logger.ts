/** A log method: pino's calling convention, `(obj, msg?)` or `(msg)`. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/** The logger natsmesh writes to and hands to handlers as `ctx.log`; a pino logger fits as is. */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

/** Log levels, lowest first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

const LEVELS: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** Where {@link createLogger} writes each JSON line. */
export type LogSink = (line: string) => void;

/**
 * A small JSON-lines logger with pino's shape, used when the app is given none.
 * The level comes from `level`, else `NATSMESH_LOG_LEVEL`, else `info`.
 */
export function createLogger(options: { level?: LogLevel; sink?: LogSink; bindings?: Record<string, unknown> } = {}): Logger {
  const level = LEVELS[options.level ?? (process.env.NATSMESH_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;
  const sink = options.sink ?? ((line: string) => process.stderr.write(line + '\n'));
  return build(level, sink, options.bindings ?? {});
}

function build(level: number, sink: LogSink, bindings: Record<string, unknown>): Logger {
  const noop: LogFn = () => undefined;
  const logger = {} as Logger;
  for (const name of METHODS) {
    const n = LEVELS[name];
    logger[name] =
      n < level
        ? noop
        : ((objOrMsg: object | string, msg?: string) => {
            const fields = typeof objOrMsg === 'string' ? { msg: objOrMsg } : { ...serialize(objOrMsg), msg };
            sink(JSON.stringify({ level: n, time: Date.now(), ...bindings, ...fields }));
          }) as LogFn;
  }
  logger.child = (more) => build(level, sink, { ...bindings, ...more });
  return logger;
}

// Errors have no enumerable fields; pino serialises `err` the same way.
function serialize(obj: object): Record<string, unknown> {
  if (obj instanceof Error) return { err: errorFields(obj) };
  const out: Record<string, unknown> = { ...obj };
  if (out.err instanceof Error) out.err = errorFields(out.err);
  return out;
}

function errorFields(err: Error): Record<string, unknown> {
  return { type: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
}
