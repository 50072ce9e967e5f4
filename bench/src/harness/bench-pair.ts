import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchChild } from './bench-child';
import { describeError, type LoadResult } from './ipc';

const DIST = join(__dirname, '..');
const START_TIMEOUT = 30_000;
// Bounds what nats-server may have to buffer for a subscriber that falls behind.
const MAX_EVENTS = 1_000_000;

/** Node flags for the children, e.g. `--cpu-prof`; per side. */
export interface ChildFlags {
  service?: string[];
  caller?: string[];
}

/** A contender's service process and caller process, and the three kinds of load between them. */
export class BenchPair {
  private constructor(readonly service: BenchChild, readonly caller: BenchChild) {}

  /** Forks the service, waits until it serves, then forks the caller and waits until a request went through. */
  static async start(name: string, serviceKind: string, callerKind: string, url: string, flags: ChildFlags = {}): Promise<BenchPair> {
    let service: BenchChild | undefined;
    let caller: BenchChild | undefined;
    try {
      service = new BenchChild(`${name} service`, join(DIST, 'service-host.js'), [serviceKind, url], flags.service);
      await service.next('ready', START_TIMEOUT);
      caller = new BenchChild(`${name} caller`, join(DIST, 'caller-host.js'), [callerKind, url], flags.caller);
      await caller.next('ready', START_TIMEOUT);
      return new BenchPair(service, caller);
    } catch (err) {
      await Promise.all([service?.stop(1000), caller?.stop(1000)]);
      throw err;
    }
  }

  /** `concurrency` request loops for `durationMs`; rejects when any request failed. */
  async load(concurrency: number, durationMs: number): Promise<LoadResult> {
    this.caller.send(concurrency === 1 ? { type: 'sequential', durationMs } : { type: 'in-flight', concurrency, durationMs });
    const { result } = await this.caller.next<{ type: 'load'; result: LoadResult }>('load', durationMs + 15_000);
    if (result.errors > 0) throw new Error(`${result.errors} of ${result.count + result.errors} requests failed, first: ${result.firstError}`);
    return result;
  }

  /** Events per second from telling the caller to publish `count` until the service counted them all. */
  async events(count: number): Promise<number> {
    this.service.send({ type: 'expect-events', count });
    await this.service.next('events-armed', 5000);
    const t0 = performance.now();
    this.caller.send({ type: 'publish', count });
    const deadline = 10_000 + count / 5;
    await this.service.next('events-done', deadline).catch((err: unknown) => {
      throw new Error(`not all ${count} events arrived: ${describeError(err)}`);
    });
    const seconds = (performance.now() - t0) / 1000;
    await this.caller.next('published', deadline);
    return count / seconds;
  }

  /** Warm-up events, then enough events for about `seconds` (at least `minimum`). */
  async eventsFor(warm: number, minimum: number, seconds: number): Promise<number> {
    const warmRate = await this.events(warm);
    // Fast contenders get more events so that every figure spans about the same time.
    return this.events(Math.min(MAX_EVENTS, Math.max(minimum, Math.round((warmRate * seconds) / 1000) * 1000)));
  }

  stop(graceMs?: number): Promise<void> {
    return Promise.all([this.service.stop(graceMs), this.caller.stop(graceMs)]).then(() => undefined);
  }
}
