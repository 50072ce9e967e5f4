import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { fromPublic, fromSeed, Prefix } from 'nkeys.js';
import { Codec } from 'nkeys.js/lib/codec';
import { MeshError } from '../errors/mesh-error';

/**
 * nkeys.js reads and checks the nkey text (prefix, base32, CRC); the Ed25519 math per message is
 * Node's own (OpenSSL). nkeys.js signs with tweetnacl and derives the key pair again on every
 * call: 2–12 ms per signature on the bench machine, against ~60 µs native. The signatures are the
 * same bytes (Ed25519 is deterministic), so nkeys.js's `verify` accepts what this signs.
 */

/** The signing key of a user nkey seed (`SU…`), and its public key (`U…`). */
export function signingKeyOf(seed: string, where: string): { readonly key: KeyObject; readonly publicKey: string } {
  let publicKey: string;
  let raw: Uint8Array;
  try {
    const text = new TextEncoder().encode(seed.trim());
    const kp = fromSeed(text);
    publicKey = kp.getPublicKey();
    raw = Codec.decodeSeed(text).buf;
  } catch {
    throw new MeshError('INVALID_OPTIONS', `${where} is not an nkey seed: pass the content of the <name>.nk file natsmesh acl wrote (it starts with "SU").`);
  }
  if (!publicKey.startsWith('U')) throw new MeshError('INVALID_OPTIONS', `${where} is not a user nkey seed (it must start with "SU"): use the <name>.nk file natsmesh acl wrote.`);
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(raw), x: b64url(rawPublic(publicKey)) }, format: 'jwk' });
  return { key, publicKey };
}

/** The verifying key of a user nkey public key (`U…`). */
export function verifyKeyOf(publicKey: string, where: string): KeyObject {
  let raw: Uint8Array;
  try {
    if (typeof publicKey !== 'string' || !publicKey.startsWith('U')) throw new Error('not a user key');
    fromPublic(publicKey);
    raw = rawPublic(publicKey);
  } catch {
    throw new MeshError('INVALID_OPTIONS', `${where} is not an nkey user public key: use the "U…" key natsmesh acl wrote for that user (keys.json).`);
  }
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' });
}

function rawPublic(publicKey: string): Uint8Array {
  return Codec.decode(Prefix.User, new TextEncoder().encode(publicKey));
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
