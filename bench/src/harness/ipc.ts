/** Messages between the runner and its service and caller children (Node IPC, JSON). */

/** Runner → service. */
export type ServiceCommand = { type: 'expect-events'; count: number } | { type: 'stop' };

/** Service → runner. */
export type ServiceReport =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'events-armed' }
  | { type: 'events-done'; count: number };

/** Runner → caller. */
export type CallerCommand =
  | { type: 'sequential'; durationMs: number }
  | { type: 'in-flight'; concurrency: number; durationMs: number }
  | { type: 'publish'; count: number }
  | { type: 'stop' };

/** Latency and throughput of one load run. */
export interface LoadResult {
  readonly count: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly seconds: number;
  readonly rps: number;
  readonly p50us: number;
  readonly p99us: number;
  /** CPU the caller process used during the window (user + system), in ms. */
  readonly cpuMs: number;
}

/** Caller → runner. */
export type CallerReport =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'load'; result: LoadResult }
  | { type: 'published'; count: number };

/** Sends an IPC message; a child whose parent is gone just exits. */
export function send(msg: ServiceReport | CallerReport): void {
  if (process.send && process.connected) process.send(msg);
}

/**
 * Wires a child for IPC: it exits when the runner goes away (so nothing outlives a crashed run)
 * and reports a start failure instead of crashing silently.
 */
export function guardChild(): void {
  process.on('disconnect', () => process.exit(3));
  process.on('unhandledRejection', (err) => {
    send({ type: 'failed', message: describeError(err) });
    process.exit(2);
  });
}

/** A one-line description of anything thrown. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
