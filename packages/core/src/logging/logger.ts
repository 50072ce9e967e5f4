import type * as Pino from 'pino';
import type { DestinationStream, LevelWithSilent } from 'pino';
import type * as PinoPretty from 'pino-pretty';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';

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
  /**
   * `json`: one JSON object per line, for log collectors. `pretty`: pino-pretty's coloured,
   * human-readable lines (`[time] INFO (pid): msg` and the fields below), written as
   * synchronously as JSON. Default for stderr: `NATSMESH_LOG_FORMAT` (`pretty` or `json`), else
   * `pretty` when stderr is a terminal and `json` when it is not (a file, a pipe, a container
   * log); always `json` for a `sink` or `destination` unless this says otherwise.
   */
  format?: LogFormat;
}

/** How {@link createLogger} writes lines. */
export type LogFormat = 'json' | 'pretty';

const LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/**
 * The default logger of an app: pino, writing JSON lines (`level`, `time`, `pid`, `hostname`,
 * bindings, fields, `msg`) to stderr, or pretty lines when stderr is a terminal (see
 * {@link CreateLoggerOptions.format}). pino serialises errors under `err` and never throws on
 * what it is given (cycles, BigInts). A `sink` or `destination` takes the lines elsewhere. An
 * unknown `NATSMESH_LOG_LEVEL` or `NATSMESH_LOG_FORMAT` is ignored (`info`, the default format)
 * and the logger's first line, at warn, says so.
 *
 * @throws MeshError `INVALID_OPTIONS` for options that cannot work: a `sink` that is not a
 * function, a `destination` without `write`, a `level` that is not one of the levels, `bindings`
 * that are not an object, a `format` other than `json` or `pretty`.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  checkLoggerOptions(options);
  const ignored: string[] = [];
  // Environment variables are often written in capitals (NATSMESH_LOG_LEVEL=DEBUG).
  const env = options.level === undefined ? process.env.NATSMESH_LOG_LEVEL?.trim().toLowerCase() : undefined;
  if (env !== undefined && env !== '' && !LEVELS.has(env)) ignored.push(`NATSMESH_LOG_LEVEL ${JSON.stringify(process.env.NATSMESH_LOG_LEVEL)} ignored (level info): use one of ${LEVEL_LIST}`);
  const level = options.level ?? (env !== undefined && LEVELS.has(env) ? env : 'info');
  const sink = options.sink;
  const toStderr = sink === undefined && options.destination === undefined;
  const format = logFormat(options.format, toStderr, ignored);
  // Synchronous by default: the line of a failure just before process.exit is not lost.
  let destination: DestinationStream =
    options.destination ?? (sink === undefined ? lazyPino().destination({ dest: 2, sync: true }) : { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) });
  if (format === 'pretty') destination = prettyStream(destination, toStderr && process.stderr.isTTY === true);
  const pino = lazyPino();
  const root = pino({ level, serializers: { err: serializeError } }, destination);
  const logger = options.bindings === undefined ? root : root.child(options.bindings);
  for (const line of ignored) logger.warn(line);
  return logger;
}

const LEVEL_LIST = [...LEVELS].join(', ');

/**
 * Refuses, at once, options that would only fail at the first line written (`sink is not a function`).
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option and what to pass.
 */
function checkLoggerOptions(options: unknown): asserts options is CreateLoggerOptions {
  const fail = (problem: string) => new MeshError('INVALID_OPTIONS', `createLogger ${problem}.`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw fail(`options are ${describeValue(options)}: pass an object such as { level: 'debug' }, or nothing`);
  }
  const o = options as Record<string, unknown>;
  if (o.sink !== undefined && typeof o.sink !== 'function') {
    throw fail(`option sink is ${describeValue(o.sink)}: pass a function that receives each line, (line: string) => void (a stream goes in destination)`);
  }
  const d = o.destination;
  if (d !== undefined && (typeof d !== 'object' || d === null || typeof (d as { write?: unknown }).write !== 'function')) {
    throw fail(`option destination is ${describeValue(d)}: pass a stream with write(line), such as process.stdout or pino.destination(path)`);
  }
  if (o.level !== undefined && (typeof o.level !== 'string' || !LEVELS.has(o.level))) {
    throw fail(`option level is ${describeValue(o.level)}: use one of ${LEVEL_LIST}`);
  }
  const b = o.bindings;
  if (b !== undefined && (typeof b !== 'object' || b === null || Array.isArray(b))) {
    throw fail(`option bindings is ${describeValue(b)}: pass an object of fields added to every line, such as { app: 'desk' }`);
  }
}

/**
 * The format asked for, else (stderr only) `NATSMESH_LOG_FORMAT`, else pretty on a terminal; an
 * unknown variable is added to `ignored`.
 *
 * @throws MeshError `INVALID_OPTIONS` for a `format` other than `json` or `pretty`.
 */
function logFormat(option: unknown, toStderr: boolean, ignored: string[]): LogFormat {
  if (option === 'json' || option === 'pretty') return option;
  if (option !== undefined) throw new MeshError('INVALID_OPTIONS', `createLogger option format is ${describeValue(option)}: use "json" or "pretty".`);
  if (!toStderr) return 'json';
  const raw = process.env.NATSMESH_LOG_FORMAT;
  const env = raw?.trim().toLowerCase();
  if (env === 'json' || env === 'pretty') return env;
  const format = process.stderr.isTTY === true ? 'pretty' : 'json';
  if (raw !== undefined && raw.trim() !== '') ignored.push(`NATSMESH_LOG_FORMAT ${JSON.stringify(raw)} ignored (format ${format}): use json or pretty`);
  return format;
}

// pino-pretty's formatter applied line by line in write(): no transform stream, so lines stay as
// synchronous as the destination (its build() pipes through a stream and writes on a later tick).
function prettyStream(destination: DestinationStream, colorize: boolean): DestinationStream {
  const prettify = (require('pino-pretty') as typeof PinoPretty).prettyFactory({ colorize });
  return { write: (line: string) => destination.write(prettify(line)) };
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
