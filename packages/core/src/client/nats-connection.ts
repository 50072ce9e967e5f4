import { connect, nkeyAuthenticator, type ConnectionOptions, type NatsConnection } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { credsFileAuthenticator, nkeySeedFileAuthenticator } from './nats-auth-files';
import { redactUrls, splitUrlCredentials } from './server-urls';
import { tlsFailure } from './tls-failure';

/**
 * How natsmesh connects: nats.js connection options plus a creds file, an nkey seed or a seed
 * file. TLS is nats.js's own `tls: { caFile, certFile, keyFile }`; natsmesh checks those files
 * when the app or client is created. See docs/security.md, "Transport security".
 */
export interface NatsConnectOptions extends ConnectionOptions {
  /** Path of a `.creds` file (JWT + nkey seed) for decentralised auth. */
  credsFile?: string;
  /** An nkey seed (`SU…`) to sign the server's nonce with. */
  nkeySeed?: string;
  /** Path of a file holding an nkey seed (`SU…`), as `natsmesh acl` writes them (`<name>.nk`). */
  nkeySeedFile?: string;
}

/** Either options to connect with, or a connection the caller owns and keeps open. */
export type NatsInput = NatsConnectOptions | NatsConnection;

/** The server used when none is given: `NATS_URL`, else the local default port. */
export function defaultServers(): string {
  return process.env.NATS_URL || 'nats://127.0.0.1:4222';
}

/** True when the value is an existing nats.js connection rather than options. */
export function isNatsConnection(value: unknown): value is NatsConnection {
  return typeof value === 'object' && value !== null &&
    typeof (value as NatsConnection).publish === 'function' && typeof (value as NatsConnection).subscribe === 'function';
}

// Codes nats.js gives a connection the server refused for its credentials.
const AUTH_FAILURES: ReadonlySet<string> = new Set(['AUTHORIZATION_VIOLATION', 'AUTHENTICATION_EXPIRED', 'AUTHENTICATION_TIMEOUT', 'BAD_AUTHENTICATION']);

/**
 * Opens a connection. A service reconnects forever by default: a NATS server that goes
 * away and comes back must not end the process. Credentials in a server URL
 * (`nats://user:password@host`, `nats://token@host`) are used unless options give their own;
 * no message natsmesh writes shows a password or token.
 *
 * @throws MeshError `UNAUTHORIZED` when the server refuses the credentials or TLS fails (either side's
 * certificate), `UNAVAILABLE` when no server answers, `INVALID_OPTIONS` for servers that are not URLs
 * or an unreadable creds or seed file.
 */
export async function connectNats(options: NatsConnectOptions = {}, name?: string): Promise<NatsConnection> {
  const { credsFile, nkeySeed, nkeySeedFile, ...rest } = options;
  const given = rest.servers ?? defaultServers();
  if (typeof given !== 'string' && !(Array.isArray(given) && given.every((s) => typeof s === 'string'))) {
    throw new MeshError('INVALID_OPTIONS', `nats.servers is ${typeof given}: use a URL such as "nats://127.0.0.1:4222", or a list of them.`);
  }
  const { servers, credentials } = splitUrlCredentials(given);
  const opts: ConnectionOptions = { name, maxReconnectAttempts: -1, ...rest, servers };
  if (credsFile) {
    opts.authenticator = credsFileAuthenticator(credsFile, 'nats.credsFile');
  } else if (nkeySeedFile) {
    opts.authenticator = nkeySeedFileAuthenticator(nkeySeedFile, 'nats.nkeySeedFile');
  } else if (nkeySeed) {
    opts.authenticator = nkeyAuthenticator(new TextEncoder().encode(nkeySeed));
  } else if (credentials !== undefined && opts.user === undefined && opts.token === undefined && opts.authenticator === undefined) {
    Object.assign(opts, credentials);
  }
  const reconnect = opts.reconnect ?? true;
  let nc: NatsConnection;
  try {
    // nats.js 2.29 misses a server closing the connection before its first PONG (an mTLS server
    // refusing the client certificate after a TLS 1.3 handshake): with reconnect on, connect()
    // waits out its whole timeout (20 s). Off, that close fails connect() at once. nats.js reads
    // the flag only when a connection drops, so it is turned back on once connected.
    nc = await connect({ ...opts, reconnect: false });
  } catch (err) {
    const where = servers.join(', ');
    const tls = await tlsFailure(err, servers, where);
    if (tls) throw tls;
    const reason = redactUrls((err as Error).message);
    if (AUTH_FAILURES.has(String((err as { code?: unknown }).code))) {
      throw new MeshError(
        'UNAUTHORIZED',
        `NATS at ${where} refused the credentials (authorization failed: ${reason}): check the user and password (nats.user/pass or user:password@ in the URL), token, nkey or creds file.`,
        undefined,
        { cause: err },
      );
    }
    throw new MeshError(
      'UNAVAILABLE',
      `Cannot connect to NATS at ${where}: ${reason}. Start a nats-server there, or set NATS_URL / the nats.servers option.`,
      undefined,
      { cause: err },
    );
  }
  if (reconnect) (nc as unknown as { options: ConnectionOptions }).options.reconnect = true;
  return nc;
}

/**
 * Drains a connection this process opened, then closes it. While nats.js is reconnecting,
 * `drain()` resolves without closing, and its reconnect loop (timers, forever with
 * `maxReconnectAttempts: -1`) would keep the process alive after the app or client stopped.
 */
export async function drainAndClose(nc: NatsConnection): Promise<void> {
  await nc.drain().catch(() => undefined);
  if (!nc.isClosed()) await nc.close().catch(() => undefined);
}
