import { TestingError } from './errors';
import { LocalNatsServer } from './local-nats-server';
import { renderNatsConfig } from './nats-config';
import { startNatsContainer } from './nats-container';
import type { NatsServerHandle } from './nats-server-handle';
import { locateNatsServer } from './nats-server-locator';

/** Options of {@link startNatsServer}. */
export interface StartNatsServerOptions {
  /** Enable JetStream (`-js`) with a fresh temp store dir, removed by stop(). */
  jetstream?: boolean;
  /**
   * nats-server config: file text, or an object rendered to config syntax. The helper's listen
   * host and port still win over any `listen`/`port` in it.
   */
  config?: string | Record<string, unknown>;
  /** Extra command-line arguments, e.g. `['--user', 'a', '--pass', 'b']`. */
  args?: string[];
  /** Run with `-D` and copy the server's log to stderr. */
  debug?: boolean;
  /** How long to wait for the server to accept connections, in ms (default 10000). */
  startTimeout?: number;
  /**
   * Require TLS on client connections, with a throwaway CA and certificates written to the
   * server's temp dir (removed by stop()); `{ verify: true }` also requires a client certificate
   * signed by that CA (mTLS). The handle's `tls` holds the CA and a client certificate to
   * connect with. Needs a local nats-server binary (not the container fallback).
   */
  tls?: boolean | { verify?: boolean };
}

const DEFAULT_START_TIMEOUT = 10_000;

/**
 * Starts a nats-server on 127.0.0.1 on a free port and resolves once it accepts connections.
 * The binary is `NATS_SERVER_BIN`, else `nats-server` on PATH, else `/usr/sbin/nats-server` or
 * `/usr/local/bin/nats-server`; without one, the `nats:2.9` image runs through testcontainers
 * when that package is installed and a Docker engine answers.
 *
 * @example
 * const server = await startNatsServer({ jetstream: true });
 * const nc = await connect({ servers: server.url });
 * // …
 * await nc.close();
 * await server.stop();
 *
 * @throws TestingError `NATS_SERVER_NOT_FOUND` (with the install command), `NATS_SERVER_START_FAILED`,
 * `NATS_SERVER_START_TIMEOUT` (both with the server's last output), `INVALID_CONFIG`, `INVALID_OPTIONS`.
 */
export async function startNatsServer(opts: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  const startTimeout = opts.startTimeout ?? DEFAULT_START_TIMEOUT;
  if (!(startTimeout > 0)) {
    throw new TestingError('INVALID_OPTIONS', `startNatsServer option startTimeout is ${startTimeout}: use a positive number of milliseconds.`);
  }
  const configText = typeof opts.config === 'string' || opts.config === undefined ? opts.config : renderNatsConfig(opts.config);
  const jetstream = opts.jetstream ?? false;
  const args = opts.args ?? [];
  const tls = opts.tls === undefined || opts.tls === false ? undefined : { verify: opts.tls !== true && opts.tls.verify === true };

  const launcher = await locateNatsServer();
  if (launcher.kind === 'container') {
    if (tls) throw new TestingError('INVALID_OPTIONS', 'startNatsServer option tls needs a local nats-server binary: install nats-server or set NATS_SERVER_BIN.');
    return startNatsContainer(launcher.testcontainers, { jetstream, configText, args });
  }
  return LocalNatsServer.start({ bin: launcher.path, args, jetstream, configText, monitor: false, debug: opts.debug ?? false, startTimeout, tls });
}
