import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestingError, getTestingErrorFromUnknown } from './errors';
import { allocateFreePorts } from './free-ports';
import type { NatsServerHandle } from './nats-server-handle';

/** The slice of the `testcontainers` API this fallback uses (v10 and v11 both have it). */
export interface TestcontainersModule {
  GenericContainer: new (image: string) => GenericContainerLike;
  Wait?: { forLogMessage(message: string | RegExp): unknown };
}

/** A container being configured. */
export interface GenericContainerLike {
  withCommand(command: string[]): GenericContainerLike;
  withExposedPorts(...ports: Array<number | { container: number; host: number }>): GenericContainerLike;
  withCopyContentToContainer(contents: Array<{ content: string; target: string }>): GenericContainerLike;
  withBindMounts(mounts: Array<{ source: string; target: string; mode?: 'rw' | 'ro' }>): GenericContainerLike;
  withWaitStrategy(strategy: unknown): GenericContainerLike;
  start(): Promise<StartedContainerLike>;
}

/** A running container. */
export interface StartedContainerLike {
  getHost(): string;
  getMappedPort(port: number): number;
  stop(options?: { timeout?: number }): Promise<unknown>;
}

/** Options the container fallback honours (the same as startNatsServer's). */
export interface ContainerSpec {
  jetstream: boolean;
  configText?: string;
  args: readonly string[];
}

/** The image used when no nats-server binary is installed. */
export const NATS_IMAGE = 'nats:2.9';
const CLIENT_PORT = 4222;
const STORE = '/data';

/**
 * Runs `nats:2.9` through testcontainers with the client port bound to a fixed host port, so a
 * restart (a fresh container with the same store) comes back on the same URL.
 *
 * @throws TestingError `NATS_SERVER_START_FAILED` when the container does not start.
 */
export async function startNatsContainer(tc: TestcontainersModule, spec: ContainerSpec): Promise<NatsServerHandle> {
  const [hostPort] = await allocateFreePorts(1);
  const storeDir = spec.jetstream ? await mkdtemp(join(tmpdir(), 'natsmesh-nats-store-')) : undefined;
  const command = [
    ...(spec.configText !== undefined ? ['-c', '/etc/natsmesh/nats.conf'] : []),
    ...spec.args,
    ...(spec.jetstream ? ['-js', '--store_dir', STORE] : []),
    '-p', String(CLIENT_PORT),
  ];

  const run = async (): Promise<StartedContainerLike> => {
    let c = new tc.GenericContainer(NATS_IMAGE).withCommand(command).withExposedPorts({ container: CLIENT_PORT, host: hostPort });
    if (spec.configText !== undefined) c = c.withCopyContentToContainer([{ content: spec.configText, target: '/etc/natsmesh/nats.conf' }]);
    if (storeDir) c = c.withBindMounts([{ source: storeDir, target: STORE, mode: 'rw' }]);
    if (tc.Wait) c = c.withWaitStrategy(tc.Wait.forLogMessage(/Server is ready/));
    try {
      return await c.start();
    } catch (err) {
      throw getTestingErrorFromUnknown('NATS_SERVER_START_FAILED', `The ${NATS_IMAGE} container did not start (Docker fallback, no nats-server binary found)`, err);
    }
  };

  let container: StartedContainerLike | undefined = await run();
  let ending: Promise<unknown> | undefined;
  let stopped: Promise<void> | undefined;
  const host = container.getHost();
  const end = (timeout: number): Promise<unknown> => {
    const c = container;
    container = undefined;
    return c ? c.stop({ timeout }).catch(() => undefined) : Promise.resolve();
  };

  return {
    url: `nats://${host}:${hostPort}`,
    port: hostPort,
    host,
    // A container has no local process to signal.
    pid: Number.NaN,
    storeDir,
    stop() {
      stopped ??= (async () => {
        await ending;
        await end(10);
        // Files written by the container's root user may not be removable; leaving them is harmless.
        if (storeDir) await rm(storeDir, { recursive: true, force: true }).catch(() => undefined);
      })();
      return stopped;
    },
    // Docker stops with SIGKILL when the grace period is 0, whatever signal was asked for.
    kill() {
      ending = end(0);
    },
    async restart() {
      if (stopped) throw new TestingError('NATS_SERVER_STOPPED', `The ${NATS_IMAGE} container was stopped with stop(); start a new one with startNatsServer() instead of restarting it.`);
      await ending;
      await end(10);
      container = await run();
    },
  };
}
