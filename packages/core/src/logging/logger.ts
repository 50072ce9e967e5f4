import type * as Pino from 'pino';
import type { DestinationStream, LevelWithSilent } from 'pino';

// Loaded on first use: a process that only imported pino (a createClient caller that never
// logs) spent 2-3 µs more CPU per request at 64 in flight (bench/, caller CPU/request 0.30x of
// raw vs 0.26x with the import deferred, 4 alternating pairs). Apps without a logger load it.
let pinoModule: typeof Pino | undefined;
function lazyPino(): typeof Pino.pino {
  return (pinoModule ??= require('pino') as typeof Pino).pino;
}

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
export type LogLevel = LevelWithSilent;

/** Where {@link createLogger} writes each JSON line (without its line break). */
export type LogSink = (line: string) => void;

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Lowest level written; default `NATSMESH_LOG_LEVEL`, else `info` (also for an unknown value). */
  level?: LogLevel;
  /** Receives each line as a string; for tests and custom outputs. */
  sink?: LogSink;
  /** A pino destination stream (anything with `write(line)`); default stderr, written synchronously. */
  destination?: DestinationStream;
  /** Fields added to every line. */
  bindings?: Record<string, unknown>;
}

const LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/**
 * The default logger of an app: pino, writing JSON lines (`level`, `time`, `pid`, `hostname`,
 * bindings, fields, `msg`) to stderr. pino serialises errors under `err` and never throws on
 * what it is given (cycles, BigInts). A `sink` or `destination` takes the lines elsewhere.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  // Environment variables are often written in capitals (NATSMESH_LOG_LEVEL=DEBUG).
  const wanted = options.level ?? process.env.NATSMESH_LOG_LEVEL?.trim().toLowerCase();
  const level = wanted !== undefined && LEVELS.has(wanted) ? wanted : 'info';
  const sink = options.sink;
  // Synchronous by default: the line of a failure just before process.exit is not lost.
  const destination =
    options.destination ?? (sink === undefined ? lazyPino().destination({ dest: 2, sync: true }) : { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) });
  const pino = lazyPino();
  const logger = pino({ level, serializers: { err: serializeError } }, destination);
  return options.bindings === undefined ? logger : logger.child(options.bindings);
}

// pino's own err serializer reads every enumerable field of the error: a getter that throws
// would make the log call throw. Then only the fields that can be read are written.
function serializeError(err: unknown): unknown {
  try {
    return lazyPino().stdSerializers.err(err as Error);
  } catch {
    const read = (key: string): unknown => {
      try {
        const v = (err as Record<string, unknown>)[key];
        return typeof v === 'string' ? v : undefined;
      } catch {
        return undefined;
      }
    };
    return { type: read('name'), message: read('message'), stack: read('stack') };
  }
}

/** A logger that writes nothing: `logger: false`. */
export function silentLogger(): Logger {
  return lazyPino()({ level: 'silent' }, { write: () => undefined });
}
