import { nkeys } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import { checkTlsFiles, credsFileAuthenticator, nkeySeedFileAuthenticator } from './nats-auth-files';
import { isNatsConnection, type NatsConnectOptions } from './nats-connection';

/**
 * Checks the `nats` option of `createApp` and `createClient` before anything connects: an open
 * connection, or connection options whose `nkeySeed` (when given) decodes as an nkey seed, and
 * whose files (`credsFile`, `nkeySeedFile`, `tls.caFile|certFile|keyFile`) can be read and hold
 * what they should, so a wrong path fails at once rather than when the app starts.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option and the file (`where` says whose); never echoes a secret.
 */
export function checkNatsInput(nats: unknown, where: string): void {
  if (nats === undefined || isNatsConnection(nats)) return;
  if (typeof nats !== 'object' || nats === null || Array.isArray(nats)) {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${where} option nats is ${describeValue(nats)}: use connection options such as { servers: "nats://127.0.0.1:4222" }, or an open nats.js connection.`,
    );
  }
  const { nkeySeed: seed, credsFile, nkeySeedFile, tls } = nats as NatsConnectOptions;
  if (seed !== undefined && !isNkeySeed(seed)) {
    throw new MeshError('INVALID_OPTIONS', `${where} option nats.nkeySeed is not an nkey seed: use the user seed that starts with "SU" (from nsc or nk -gen user).`);
  }
  if (credsFile !== undefined) credsFileAuthenticator(credsFile, `${where} option nats.credsFile`);
  if (nkeySeedFile !== undefined) nkeySeedFileAuthenticator(nkeySeedFile, `${where} option nats.nkeySeedFile`);
  checkTlsFiles(tls, `${where} option nats.tls`);
}

function isNkeySeed(seed: unknown): boolean {
  if (typeof seed !== 'string') return false;
  try {
    nkeys.fromSeed(new TextEncoder().encode(seed)).clear();
    return true;
  } catch {
    return false;
  }
}
