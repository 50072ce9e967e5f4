import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { prometheusBinary } from '../../../packages/cli/test/promtool';
import { allocateFreePorts } from '../../../packages/testing/src/free-ports';
import { spawnWithWatchdog, type WatchedProcess } from '../../../packages/testing/src/spawn-with-watchdog';

/** A Prometheus server started for one test, on a free loopback port, with its TSDB in a temp dir. */
export interface PrometheusHandle {
  readonly url: string;
  /** GET /api/v1/<path> and the `data` of a success answer. */
  api<T>(path: string): Promise<T>;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its temp dir. */
  stop(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** `host:port` of the metrics endpoints to scrape. */
  readonly targets: readonly string[];
  readonly metricsPath?: string;
  /** Rules files to load. */
  readonly ruleFiles?: readonly string[];
}

/**
 * Starts Debian's (or any) `prometheus` binary scraping `targets` every second. The watchdog of
 * @natsmesh/testing kills it if the test runner dies, so no Prometheus outlives the tests.
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusHandle> {
  const bin = prometheusBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'natsmesh-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [...(options.ruleFiles ?? [])],
      scrape_configs: [{ job_name: 'hotel', metrics_path: options.metricsPath ?? '/metrics', static_configs: [{ targets: [...options.targets] }] }],
    }),
  );
  const [port] = await allocateFreePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const proc: WatchedProcess = spawnWithWatchdog(
    bin,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    dir,
    (line) => void log.push(line),
  );
  const stop = async () => {
    if (!proc.hasExited()) {
      const pid = await proc.pid.catch(() => undefined);
      if (pid !== undefined) process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => pid !== undefined && !proc.hasExited() && process.kill(pid, 'SIGKILL'), 10_000);
      await proc.exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if (proc.hasExited()) throw new Error(`prometheus exited at start:\n${log.join('\n')}`);
      const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (i >= 300) throw new Error(`prometheus was not ready at ${url} after 30 s:\n${log.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    async api<T>(path: string): Promise<T> {
      const res = await fetch(`${url}/api/v1/${path}`);
      const body = (await res.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
      return body.data;
    },
    stop,
  };
}
