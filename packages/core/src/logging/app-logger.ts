import { MeshError } from '../errors/mesh-error';
import { createLogger, silentLogger, type Logger } from './logger';

const METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'child'] as const;

/**
 * The logger an app writes to, from its `logger` option: the default pino logger when absent,
 * a silent one for `false`, else the given pino-compatible logger.
 *
 * @throws MeshError `INVALID_OPTIONS` for anything else, `console` included: it has neither
 * `fatal` nor `child`, and takes `(msg, ...args)` rather than pino's `(obj, msg)`.
 */
export function resolveLogger(option: unknown, where: string): Logger {
  if (option === undefined) return createLogger();
  if (option === false) return silentLogger();
  const missing = option !== null && typeof option === 'object' ? METHODS.filter((m) => typeof (option as Record<string, unknown>)[m] !== 'function') : METHODS;
  if (missing.length > 0) {
    const what =
      option === console ? 'console' : typeof option === 'string' ? `"${option}"` : option === null || typeof option !== 'object' ? String(option) : `an object without ${missing.join(', ')}`;
    throw new MeshError(
      'INVALID_OPTIONS',
      `${where} option logger is ${what}: pass a pino logger (or any object with pino's trace…fatal methods and child()), createLogger({ level }), or false to silence logging. Without the option, JSON lines go to stderr.`,
    );
  }
  return option as Logger;
}

// Keys each logger binds, read once: pino's bindings() parses JSON on every call.
const boundKeys = new WeakMap<Logger, ReadonlySet<string>>();

/**
 * `logger.child(bindings)` without the keys the logger already binds: pino writes a key bound
 * twice twice, and the first binding (the user's) is kept. Returns `logger` when nothing is new.
 */
export function bindNew(logger: Logger, bindings: Record<string, unknown>): Logger {
  let bound = boundKeys.get(logger);
  if (bound === undefined) {
    bound = new Set(Object.keys(bindingsOf(logger)));
    boundKeys.set(logger, bound);
  }
  let fresh: Record<string, unknown> | undefined;
  for (const key of Object.keys(bindings)) if (!bound.has(key)) (fresh ??= {})[key] = bindings[key];
  return fresh === undefined ? logger : logger.child(fresh);
}

// pino's bindings(); a logger without it (or whose bindings() fails) binds nothing we know of.
function bindingsOf(logger: Logger): object {
  try {
    const read = (logger as { bindings?: unknown }).bindings;
    const out: unknown = typeof read === 'function' ? read.call(logger) : undefined;
    return out !== null && typeof out === 'object' ? out : {};
  } catch {
    return {};
  }
}
