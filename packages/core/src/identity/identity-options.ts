import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { MeshError } from '../errors/mesh-error';
import { checkMillis, checkNumber, describeValue } from '../options/check-millis';
import { checkKnownKeys } from '../options/check-known-keys';
import { CallerIdentity } from './caller-identity.middleware';
import { signingKeyOf, verifyKeyOf } from './identity-keys';
import { RequestSigner } from './request-signer';
import { readTrustedKeys } from './trusted-keys';

/**
 * Signed caller identity (opt-in; see docs/security.md, "Caller identity"). With a seed, every
 * request the client sends is signed as `name`; with `trust`, every endpoint of the app accepts
 * only requests signed by a trusted caller, and its handlers get `ctx.caller`.
 */
export interface IdentityOptions {
  /**
   * The name requests are signed as: the user name in `natsmesh acl` output (a service, or a
   * caller role such as `web`). Default in `createApp`: the one service the app hosts (an app
   * hosting several must name one); required in `createClient`.
   */
  name?: string;
  /** The nkey seed (`SU…`) to sign with: the content of `<name>.nk` from `natsmesh acl --out`. Secret. */
  seed?: string;
  /** A file holding the seed, e.g. `acl/hotel.booking.nk` (0600). */
  seedFile?: string;
  /**
   * `createApp` only: the callers whose signatures the app's endpoints accept, as
   * `{ name: nkey public key }` or the path of a file of that shape (`keys.json` from `natsmesh acl --out`).
   * Given: every endpoint refuses a request without a valid signature by one of them (`UNAUTHORIZED`).
   */
  trust?: Readonly<Record<string, string>> | string;
  /** How far a signature's time may be from the receiver's clock, in ms (30000); replays are checked within it. */
  skew?: number;
  /** Most nonces remembered for the replay check (100000); beyond it, older signatures are refused early. */
  replayCapacity?: number;
}

/** Identity as decided at boot: what signs, what verifies; each undefined when off. */
export interface ResolvedIdentity {
  readonly signer: RequestSigner | undefined;
  readonly verifier: CallerIdentity | undefined;
}

const KEYS = ['name', 'seed', 'seedFile', 'trust', 'skew', 'replayCapacity'];

/**
 * Checks `identity` and loads its keys, once, at boot. `hosted` are the app's service names
 * (`createApp`), undefined for `createClient`.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option and the fix.
 */
export function resolveIdentity(options: IdentityOptions | undefined, where: 'createApp' | 'createClient', hosted?: readonly string[]): ResolvedIdentity | undefined {
  if (options === undefined) return undefined;
  const at = `${where} option identity`;
  if (typeof options !== 'object' || options === null) throw new MeshError('INVALID_OPTIONS', `${at} is ${describeValue(options)}: use { name, seedFile, trust }.`);
  checkKnownKeys(options, KEYS, at);
  if (options.seed !== undefined && options.seedFile !== undefined) throw new MeshError('INVALID_OPTIONS', `${at} has both seed and seedFile: pass one.`);
  if (hosted === undefined && options.trust !== undefined) {
    throw new MeshError('INVALID_OPTIONS', `${at}.trust is for an app's endpoints; a client has none: leave it out (the services it calls verify).`);
  }
  const seed = seedOf(options, at);
  if (seed === undefined && options.trust === undefined) throw new MeshError('INVALID_OPTIONS', `${at} has neither a seed (to sign requests) nor trust (to verify them): pass seedFile, trust or both.`);
  return { signer: seed === undefined ? undefined : signer(options, seed, at, hosted), verifier: options.trust === undefined ? undefined : verifier(options, at) };
}

function seedOf(options: IdentityOptions, at: string): string | undefined {
  if (options.seed !== undefined) {
    if (typeof options.seed !== 'string') throw new MeshError('INVALID_OPTIONS', `${at}.seed is ${describeValue(options.seed)}, not a string: pass the nkey seed text, or seedFile.`);
    return options.seed;
  }
  if (options.seedFile === undefined) return undefined;
  if (typeof options.seedFile !== 'string') throw new MeshError('INVALID_OPTIONS', `${at}.seedFile is ${describeValue(options.seedFile)}: pass a path.`);
  try {
    return readFileSync(options.seedFile, 'utf8');
  } catch (err) {
    throw new MeshError('INVALID_OPTIONS', `${at}.seedFile "${options.seedFile}" cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): pass the <name>.nk file natsmesh acl --out wrote.`);
  }
}

function signer(options: IdentityOptions, seed: string, at: string, hosted: readonly string[] | undefined): RequestSigner {
  let name = options.name;
  if (name === undefined) {
    if (hosted === undefined) throw new MeshError('INVALID_OPTIONS', `${at} has a seed but no name: pass the user name it belongs to, e.g. { name: 'web', seedFile: 'acl/web.nk' }.`);
    if (hosted.length !== 1) {
      throw new MeshError('INVALID_OPTIONS', `${at}: the app hosts ${hosted.length} services (${hosted.join(', ')}) and signs as one name: pass identity.name.`);
    }
    name = hosted[0];
  }
  if (typeof name !== 'string' || !/^[^\s]+$/.test(name)) throw new MeshError('INVALID_OPTIONS', `${at}.name is ${describeValue(name)}: use the user name from natsmesh acl, without white space.`);
  const { key, publicKey } = signingKeyOf(seed, `${at}.${options.seedFile === undefined ? 'seed' : `seedFile "${options.seedFile}"`}`);
  return new RequestSigner(name, key, publicKey);
}

function verifier(options: IdentityOptions, at: string): CallerIdentity {
  const given = options.trust;
  const entries = typeof given === 'string' ? readTrustedKeys(given, `${at}.trust`) : given;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new MeshError('INVALID_OPTIONS', `${at}.trust is ${describeValue(entries)}: use { '<caller name>': '<nkey public key>' } or the path of keys.json.`);
  }
  const trust = new Map<string, KeyObject>();
  for (const [name, publicKey] of Object.entries(entries)) trust.set(name, verifyKeyOf(publicKey, `${at}.trust["${name}"]`));
  if (trust.size === 0) throw new MeshError('INVALID_OPTIONS', `${at}.trust names no caller: every request would be refused; list the callers' public keys.`);
  const skew = options.skew === undefined ? 30_000 : checkMillis(options.skew, `${at}.skew`);
  const capacity = options.replayCapacity === undefined ? 100_000 : checkNumber(options.replayCapacity, `${at}.replayCapacity`, 1, 100_000_000, true);
  return new CallerIdentity(trust, skew, capacity);
}
