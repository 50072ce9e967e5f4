import { performance } from 'node:perf_hooks';
import { describeError, type LoadResult } from './ipc';
import { LatencyRecorder } from './latency';

type Call = () => Promise<unknown>;

/**
 * Keeps `concurrency` requests in flight for `durationMs` (1 = sequential) and records each
 * request's latency. Failed requests are counted, never retried.
 */
export async function runLoad(call: Call, concurrency: number, durationMs: number): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  let errors = 0;
  let firstError: string | undefined;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  const worker = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end) return;
      try {
        await call();
        latencies.add((performance.now() - t0) * 1000);
      } catch (err) {
        errors++;
        firstError ??= describeError(err);
        // A failing contender must not spin: back off a little.
        if (errors > 1000) return;
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i++) workers.push(worker());
  await Promise.all(workers);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const { p50, p99 } = latencies.percentiles();
  return { count: latencies.count, errors, firstError, seconds, rps: latencies.count / seconds, p50us: p50, p99us: p99, cpuMs: (used.user + used.system) / 1000 };
}

/** Publishes `count` events, yielding to the event loop every `batch` so the socket gets written. */
export async function publishEvents(emit: () => void, count: number, batch = 500): Promise<void> {
  for (let i = 0; i < count; i++) {
    emit();
    if ((i + 1) % batch === 0) await new Promise<void>((r) => setImmediate(r));
  }
}
