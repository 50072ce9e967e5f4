import { describeDockerEndpoint, dockerEngineAnswers } from './docker-engine';
import { TestingError } from './errors';
import type { TestcontainersModule } from './nats-container';
import { resolveNatsServerBinary } from './nats-server-binary';

/** How a server will be started: a local binary, or the `nats` image through testcontainers. */
export type NatsServerLauncher =
  | { kind: 'binary'; path: string }
  | { kind: 'container'; testcontainers: TestcontainersModule };

/** What {@link locateNatsServer} consults; each defaults to the real machine so tests can swap one out. */
export interface LocatorEnvironment {
  env: NodeJS.ProcessEnv;
  fallbackPaths?: readonly string[];
  loadTestcontainers: () => TestcontainersModule | undefined;
  dockerAnswers: () => Promise<boolean>;
  /** False for helpers (clusters) that need a local binary. */
  allowContainer: boolean;
}

const FIX_BINARY = [
  'install nats-server: `apt-get install -y nats-server` on Debian/Ubuntu, or put a release binary from https://github.com/nats-io/nats-server/releases on PATH',
  'set NATS_SERVER_BIN=/path/to/nats-server',
];
const FIX_CONTAINER = 'install Docker and `npm install -D testcontainers` to run the nats:2.9 image';

/** The ways to fix a missing nats-server, as quoted in every `NATS_SERVER_NOT_FOUND` message. */
export function natsServerInstallHint(withContainer = true): string {
  const fixes = withContainer ? [...FIX_BINARY, FIX_CONTAINER] : FIX_BINARY;
  return `Fix it with one of: ${fixes.map((f, i) => `(${i + 1}) ${f}`).join('; ')}.`;
}

/**
 * Decides how to start nats-server: the binary when one is found, else testcontainers when it
 * can be required and a Docker engine answers.
 *
 * @throws TestingError `NATS_SERVER_NOT_FOUND` when neither is usable; the message says how to fix it.
 */
export async function locateNatsServer(overrides: Partial<LocatorEnvironment> = {}): Promise<NatsServerLauncher> {
  const env = overrides.env ?? process.env;
  const { path, tried } = resolveNatsServerBinary({ env, fallbackPaths: overrides.fallbackPaths });
  if (path) return { kind: 'binary', path };

  const looked = `No nats-server binary found (looked at $NATS_SERVER_BIN, ${tried.join(', ')})`;
  if (overrides.allowContainer === false) {
    throw new TestingError('NATS_SERVER_NOT_FOUND', `${looked}; a cluster needs the binary. ${natsServerInstallHint(false)}`);
  }
  const testcontainers = (overrides.loadTestcontainers ?? loadTestcontainers)();
  if (!testcontainers) {
    throw new TestingError('NATS_SERVER_NOT_FOUND', `${looked}, and the optional package testcontainers is not installed. ${natsServerInstallHint()}`);
  }
  if (!(await (overrides.dockerAnswers ?? (() => dockerEngineAnswers(env)))())) {
    throw new TestingError(
      'NATS_SERVER_NOT_FOUND',
      `${looked}, and no Docker engine answered at ${describeDockerEndpoint(env)}. ${natsServerInstallHint()}`,
    );
  }
  return { kind: 'container', testcontainers };
}

/** `require('testcontainers')`, or `undefined` when the optional peer dependency is not installed. */
export function loadTestcontainers(): TestcontainersModule | undefined {
  try {
    // A plain require keeps testcontainers optional: nothing imports it at build time.
    return require('testcontainers') as TestcontainersModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
