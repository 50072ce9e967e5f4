import { randomBytes } from 'node:crypto';
import { waitForMesh } from './cluster-readiness';
import { TestingError } from './errors';
import { allocateFreePorts } from './free-ports';
import { LocalNatsServer } from './local-nats-server';
import type { NatsServerHandle } from './nats-server-handle';
import { locateNatsServer } from './nats-server-locator';

/** Options of {@link startNatsCluster}. */
export interface StartNatsClusterOptions {
  /** Enable JetStream on every member (clustered JetStream, R1–R3 streams). */
  jetstream?: boolean;
  /** Cluster name; members are named `<name>-1` … `<name>-n`. Default `natsmesh-<random>`. */
  name?: string;
  /** Run the members with `-D` and copy their logs to stderr. */
  debug?: boolean;
}

/** A running cluster started by {@link startNatsCluster}. */
export interface NatsClusterHandle {
  /** The members; each can be stopped, killed and restarted on its own (restart rejoins the mesh). */
  readonly servers: NatsServerHandle[];
  /** Client URLs of the members, in order; pass them all as `servers` to let clients fail over. */
  readonly urls: string[];
  /** Stops every member. Idempotent. */
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;
const TIMEOUT_MS = 10_000;

/**
 * Starts `n` nats-servers on 127.0.0.1 that route to each other, and resolves once every member
 * has a route to every other one (and, with JetStream, a meta leader is elected).
 *
 * @example
 * const cluster = await startNatsCluster(3, { jetstream: true });
 * const nc = await connect({ servers: cluster.urls });
 * // …
 * await nc.close();
 * await cluster.stop();
 *
 * @throws TestingError `NATS_SERVER_NOT_FOUND` (a cluster needs the binary, there is no container fallback),
 * `NATS_SERVER_START_FAILED`, `NATS_SERVER_START_TIMEOUT`, `NATS_CLUSTER_NOT_READY`, `INVALID_OPTIONS`.
 */
export async function startNatsCluster(n = 3, opts: StartNatsClusterOptions = {}): Promise<NatsClusterHandle> {
  if (!Number.isInteger(n) || n < 1) {
    throw new TestingError('INVALID_OPTIONS', `startNatsCluster(n) got n = ${n}: use a whole number of members, 1 or more (3 for JetStream quorum).`);
  }
  const launcher = await locateNatsServer({ allowContainer: false });
  if (launcher.kind !== 'binary') throw new TestingError('NATS_SERVER_NOT_FOUND', 'startNatsCluster needs a nats-server binary.');
  const name = opts.name ?? `natsmesh-${randomBytes(3).toString('hex')}`;
  const jetstream = opts.jetstream ?? false;

  const members = await startMembers(n, name, launcher.path, jetstream, opts.debug ?? false);
  try {
    await waitForMesh(members, members, { jetstream, timeoutMs: TIMEOUT_MS });
  } catch (err) {
    await Promise.all(members.map((m) => m.stop()));
    throw err;
  }

  // A rejoin is complete when every running member (not just the restarted one) sees it: each
  // side sends its subscriptions when it registers the route.
  const rejoin = () => waitForMesh(members.filter((m) => m.running), members, { jetstream, timeoutMs: TIMEOUT_MS });
  const servers = members.map((m) => memberHandle(m, rejoin));
  let stopped: Promise<void> | undefined;
  return {
    servers,
    urls: servers.map((s) => s.url),
    stop: () => (stopped ??= Promise.all(members.map((m) => m.stop())).then(() => undefined)),
  };
}

async function startMembers(n: number, name: string, bin: string, jetstream: boolean, debug: boolean): Promise<LocalNatsServer[]> {
  for (let attempt = 1; ; attempt++) {
    // Every member lists every cluster URL (its own included, which nats-server skips): the same
    // routes on each member mean any one can restart and find the others, and clustered
    // JetStream refuses to start without configured routes. Those ports must be known before
    // anything starts, hence picked here rather than left to the server.
    const clusterPorts = await allocateFreePorts(n);
    const routes = clusterPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
    const results = await Promise.allSettled(
      clusterPorts.map((port, i) =>
        LocalNatsServer.start({
          bin,
          args: ['--cluster_name', name, '--server_name', `${name}-${i + 1}`, '--cluster', `nats://127.0.0.1:${port}`, '--routes', routes],
          jetstream,
          monitor: true,
          debug,
          startTimeout: TIMEOUT_MS,
        }),
      ),
    );
    const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failure) return started;
    await Promise.all(started.map((m) => m.stop()));
    // Another process took one of the picked ports between picking and binding.
    const portTaken = /address already in use/i.test(String((failure.reason as Error)?.message));
    if (!portTaken || attempt >= START_ATTEMPTS) throw failure.reason;
  }
}

/** A member's handle: the server's own, except that restart() also waits until it has rejoined. */
function memberHandle(server: LocalNatsServer, rejoin: () => Promise<void>): NatsServerHandle {
  return {
    get url() {
      return server.url;
    },
    get port() {
      return server.port;
    },
    host: server.host,
    get pid() {
      return server.pid;
    },
    storeDir: server.storeDir,
    stop: () => server.stop(),
    kill: (signal) => server.kill(signal),
    restart: async () => {
      await server.restart();
      await rejoin();
    },
  };
}
