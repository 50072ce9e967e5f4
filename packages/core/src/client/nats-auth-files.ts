import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, nkeys, type Authenticator } from 'nats';
import { MeshError } from '../errors/mesh-error';

// Messages here name the option and the file, never what is in it: a creds file, a seed file
// and a key file are secrets, and parser errors may quote them.

/**
 * Reads a `.creds` file (a user JWT and its nkey seed, as `nsc` and `natsmesh acl --format jwt`
 * write them) and returns the nats.js authenticator for it.
 *
 * @throws MeshError `INVALID_OPTIONS` naming `option` and the file when it cannot be read or holds no JWT and user seed.
 */
export function credsFileAuthenticator(path: unknown, option: string): Authenticator {
  const text = readSecretFile(path, option, 'a .creds file from nsc or natsmesh acl --format jwt');
  // The layout nats.js parses: each value between two `---…---` marker lines.
  const blocks = [...text.matchAll(/\s*-{3,}[^\n]*-{3,}\n(.+)\n\s*-{3,}[^\n]*-{3,}\n?/g)].map((m) => m[1]!.trim());
  if (blocks.length < 2 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(blocks[0]!) || !isUserSeed(blocks[1]!)) {
    throw new MeshError('INVALID_OPTIONS', `${option} "${String(path)}" holds no user JWT and nkey seed: use a .creds file from nsc or natsmesh acl --format jwt.`);
  }
  return credsAuthenticator(new TextEncoder().encode(text));
}

/**
 * Reads a file holding a user nkey seed (`SU…`, as `nk -gen user` and `natsmesh acl` write it)
 * and returns the nats.js authenticator that signs the server's nonce with it.
 *
 * @throws MeshError `INVALID_OPTIONS` naming `option` and the file when it cannot be read or holds no user seed.
 */
export function nkeySeedFileAuthenticator(path: unknown, option: string): Authenticator {
  const seed = readSecretFile(path, option, 'a file holding a user nkey seed (SU…)').trim();
  if (!isUserSeed(seed)) {
    throw new MeshError('INVALID_OPTIONS', `${option} "${String(path)}" holds no user nkey seed: use the seed that starts with "SU" (from natsmesh acl, nsc or nk -gen user).`);
  }
  return nkeyAuthenticator(new TextEncoder().encode(seed));
}

/** True for an nkey seed of a user (`SU…`). */
export function isUserSeed(seed: unknown): boolean {
  if (typeof seed !== 'string' || !seed.startsWith('SU')) return false;
  try {
    nkeys.fromSeed(new TextEncoder().encode(seed)).clear();
    return true;
  } catch {
    return false;
  }
}

/** The nats.js TLS file options natsmesh checks. */
interface TlsFileOptions {
  caFile?: unknown;
  certFile?: unknown;
  keyFile?: unknown;
  cert?: unknown;
  key?: unknown;
  passphrase?: unknown;
}

/**
 * Checks the files of nats.js `tls` options before anything connects: `caFile` holds a PEM
 * certificate, `certFile` and `keyFile` come together, hold a PEM certificate and its private key.
 * nats.js itself reads them only while connecting, where a missing file reads as a TLS failure.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option (`prefix` says whose, e.g. `createApp option nats.tls`) and the file.
 */
export function checkTlsFiles(tls: unknown, prefix: string): void {
  if (tls === undefined || tls === null) return;
  if (typeof tls !== 'object' || Array.isArray(tls)) {
    throw new MeshError('INVALID_OPTIONS', `${prefix} is ${Array.isArray(tls) ? 'an array' : `a ${typeof tls}`}: use { caFile, certFile, keyFile } (paths of PEM files).`);
  }
  const { caFile, certFile, keyFile, cert, key, passphrase } = tls as TlsFileOptions;
  if (caFile !== undefined) {
    const pem = readSecretFile(caFile, `${prefix}.caFile`, 'the PEM file of the CA that signed the server certificate');
    try {
      createSecureContext({ ca: pem });
      new X509Certificate(pem);
    } catch {
      throw new MeshError('INVALID_OPTIONS', `${prefix}.caFile "${String(caFile)}" holds no PEM certificate: use the CA certificate (-----BEGIN CERTIFICATE-----) that signed the server certificate.`);
    }
  }
  if (certFile === undefined && keyFile === undefined) return;
  if (certFile === undefined && cert === undefined) {
    throw new MeshError('INVALID_OPTIONS', `${prefix}.keyFile is set without ${prefix}.certFile: give both, the client certificate and its private key.`);
  }
  if (keyFile === undefined && key === undefined) {
    throw new MeshError('INVALID_OPTIONS', `${prefix}.certFile is set without ${prefix}.keyFile: give both, the client certificate and its private key.`);
  }
  if (certFile === undefined || keyFile === undefined) return;
  const certPem = readSecretFile(certFile, `${prefix}.certFile`, 'the PEM file of the client certificate');
  const keyPem = readSecretFile(keyFile, `${prefix}.keyFile`, 'the PEM file of the client certificate\'s private key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
  } catch {
    throw new MeshError('INVALID_OPTIONS', `${prefix}.certFile "${String(certFile)}" holds no PEM certificate: use the client certificate (-----BEGIN CERTIFICATE-----).`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keyPem, passphrase: typeof passphrase === 'string' ? passphrase : undefined });
  } catch {
    throw new MeshError('INVALID_OPTIONS', `${prefix}.keyFile "${String(keyFile)}" holds no PEM private key natsmesh can read: use the unencrypted key, or give ${prefix}.passphrase for an encrypted one.`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new MeshError('INVALID_OPTIONS', `${prefix}.keyFile "${String(keyFile)}" is not the private key of ${prefix}.certFile "${String(certFile)}": give the key the certificate was issued for.`);
  }
}

function readSecretFile(path: unknown, option: string, what: string): string {
  if (typeof path !== 'string' || path === '') {
    throw new MeshError('INVALID_OPTIONS', `${option} is ${typeof path === 'string' ? 'empty' : `a ${typeof path}`}: use the path of ${what}.`);
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MeshError('INVALID_OPTIONS', `${option} "${path}" cannot be read${code ? ` (${code})` : ''}: check the path and its permissions; it should be ${what}.`, undefined, { cause: err });
  }
}
