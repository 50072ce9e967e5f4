import { chmodSync, existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createAccount,
  createOperator,
  decode,
  encodeAccount,
  encodeActivation,
  encodeOperator,
  encodeUser,
  fmtCreds,
  fromSeed,
  type Export,
  type Import,
  type KeyPair,
} from '@nats-io/jwt';
import { DEFAULT_ACCOUNT, type Acl, type AclAccount, type AclUser } from '@natsmesh/core';
import { seedFileOf, writeTrustedKeys } from './acl-files';
import { readIssuedUsers, readRevocations, Revocations } from './jwt-revocations';

/** The nats-server config include of JWT mode: the operator, a memory resolver and the account. */
export const JWT_SERVER_FILE = 'server.conf';

/** ns, as the JWT `resp.ttl` is a Go duration: replies within 2 minutes, nats-server's default. */
const RESPONSE_TTL_NS = 120_000_000_000;

/** The name of the system account JWT mode writes (nats-server needs one for JetStream and monitoring). */
export const SYSTEM_ACCOUNT = 'SYS';

/**
 * Writes decentralised-auth files for an ACL: the operator, the system account and the accounts
 * (one, `natsmesh`, or those of accounts mode) as JWTs with their seeds, one `.creds` file per
 * user (JWT with its permissions + seed, mode 0600), and `server.conf` (`operator`,
 * `system_account`, `resolver: MEMORY`, `resolver_preload`). In accounts mode each export needs a
 * token (`token_req`) and each import carries the activation its exporter signed for the
 * importing account, so no other account can import it. Seeds already in `dir` are kept, and a
 * JWT whose claims did not change is kept as it is (a JWT carries its issue time), so unchanged
 * services regenerate byte-identical files. A user JWT of an earlier run that is no longer in
 * force (user removed, moved to another account, permissions changed) is revoked in the account
 * that issued it, and the `.creds` of a removed user is deleted.
 *
 * @returns the paths written or kept.
 */
export async function writeJwtFiles(dir: string, acl: Acl): Promise<string[]> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const operator = keepSeed(dir, 'operator.nk', () => createOperator());
  const system = keepSeed(dir, 'system.nk', () => createAccount());
  const accounts = acl.accounts.length > 0 ? acl.accounts : [oneAccount(acl)];
  const keys = new Map(accounts.map((a) => [a.name, keepSeed(dir, accountFileOf(a.name, 'nk'), () => createAccount())]));
  const files: string[] = [];
  const operatorJwt = await keepJwt(join(dir, 'operator.jwt'), () => encodeOperator('natsmesh', operator, { system_account: system.getPublicKey() }));
  const systemJwt = await keepJwt(join(dir, 'system.jwt'), () => encodeAccount(SYSTEM_ACCOUNT, system, { limits: openLimits(false) }, { signer: operator }));
  files.push(join(dir, 'operator.jwt'), join(dir, 'system.jwt'));
  const revocations = new Revocations();
  for (const a of accounts) revocations.seed(keys.get(a.name)!.getPublicKey(), readRevocations(join(dir, accountFileOf(a.name, 'jwt')), keys.get(a.name)!.getPublicKey()));
  const issued = new Map(readIssuedUsers(dir).map((i) => [i.file, i]));
  const accountOf = new Map(accounts.flatMap((a) => a.users.map((u) => [u, keys.get(a.name)!] as const)));
  const creds: [path: string, text: Uint8Array][] = [];
  for (const u of acl.users) {
    const user = fromSeed(new TextEncoder().encode(acl.seeds[u.name]));
    const seedPath = join(dir, seedFileOf(u.name));
    if (!existsSync(seedPath)) writeFileSync(seedPath, acl.seeds[u.name], { mode: 0o600 });
    chmodSync(seedPath, 0o600);
    const credsPath = join(dir, seedFileOf(u.name).replace(/\.nk$/, '.creds'));
    const old = issued.get(credsPath);
    issued.delete(credsPath);
    const encode = () => encodeUser(u.name, user, accountOf.get(u.name)!, userClaims(u));
    let jwt = await keepJwt(credsPath, encode, true);
    if (old !== undefined && old.jwt !== jwt) {
      revocations.revoke(old);
      // The revocation covers JWTs issued up to its second: the new one must be issued after it.
      while (decode(jwt).iat <= old.iat) {
        await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
        jwt = await encode();
      }
    }
    creds.push([credsPath, fmtCreds(jwt, user)]);
  }
  for (const stale of issued.values()) {
    revocations.revoke(stale);
    unlinkSync(stale.file);
  }
  const preload: string[] = [`  ${system.getPublicKey()}: ${JSON.stringify(systemJwt)}`];
  for (const a of accounts) {
    const key = keys.get(a.name)!;
    const path = join(dir, accountFileOf(a.name, 'jwt'));
    const jwt = await keepJwt(path, async () => encodeAccount(a.name, key, await accountClaims(a, keys, revocations.of(key.getPublicKey())), { signer: operator }));
    preload.push(`  ${key.getPublicKey()}: ${JSON.stringify(jwt)}`);
    files.push(path);
  }
  for (const [credsPath, text] of creds) {
    if (!existsSync(credsPath) || readFileSync(credsPath, 'utf8') !== new TextDecoder().decode(text)) writeFileSync(credsPath, text, { mode: 0o600 });
    chmodSync(credsPath, 0o600);
    files.push(credsPath);
  }
  const server = join(dir, JWT_SERVER_FILE);
  writeFileSync(
    server,
    [
      '# Generated by natsmesh acl --format jwt: do not edit, regenerate.',
      `operator: ${JSON.stringify(operatorJwt)}`,
      `system_account: ${system.getPublicKey()}`,
      'resolver: MEMORY',
      'resolver_preload: {',
      ...preload,
      '}',
      '',
    ].join('\n'),
  );
  files.unshift(server);
  files.push(writeTrustedKeys(dir, acl));
  return files;
}

/** The seed (`nk`) or JWT file of an account: `account.*` for the default account, else `account-<name>.*`. */
export function accountFileOf(name: string, ext: 'nk' | 'jwt'): string {
  return name === DEFAULT_ACCOUNT ? `account.${ext}` : `account-${name}.${ext}`;
}

// Without accounts mode every user is in the one account, which needs JetStream when a service has durables.
function oneAccount(acl: Acl): AclAccount {
  return { name: DEFAULT_ACCOUNT, users: acl.users.map((u) => u.name), exports: [], imports: [], jetstream: acl.users.some((u) => u.publish.includes('$JS.API.INFO')) };
}

// Unset account limits read as 0 (no connection at all): every one is given, -1 for none.
function openLimits(jetstream: boolean) {
  return { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1, ...(jetstream ? { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 } : {}) };
}

async function accountClaims(a: AclAccount, keys: ReadonlyMap<string, KeyPair>, revocations: Record<string, number> | undefined) {
  const exports: Export[] = a.exports.map((e) => ({ name: e.subject, subject: e.subject, type: e.kind, token_req: true }));
  const imports: Import[] = [];
  for (const i of a.imports) {
    const exporter = keys.get(i.account)!;
    const token = await encodeActivation(i.subject, keys.get(a.name)!.getPublicKey(), exporter, i.kind, { subject: i.subject });
    imports.push({ name: i.subject, subject: i.subject, account: exporter.getPublicKey(), type: i.kind, token });
  }
  return { limits: openLimits(a.jetstream), ...(exports.length > 0 ? { exports } : {}), ...(imports.length > 0 ? { imports } : {}), ...(revocations ? { revocations } : {}) };
}

function userClaims(u: AclUser) {
  return {
    pub: u.publish.length === 0 ? { deny: ['>'] } : { allow: [...u.publish] },
    sub: { allow: [...u.subscribe] },
    resp: { max: 1, ttl: RESPONSE_TTL_NS },
  };
}

function keepSeed(dir: string, file: string, create: () => KeyPair): KeyPair {
  const path = join(dir, file);
  if (existsSync(path)) return fromSeed(new TextEncoder().encode(readFileSync(path, 'utf8').trim()));
  const kp = create();
  writeFileSync(path, new TextDecoder().decode(kp.getSeed()), { mode: 0o600 });
  return kp;
}

// A JWT is stamped with its issue time (and an id hashed from it): the one on disk stays when the
// claims are otherwise the same. For a .creds file, the JWT is the first block of the file.
async function keepJwt(path: string, encode: () => Promise<string>, creds = false): Promise<string> {
  const fresh = await encode();
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    const old = creds ? /-----BEGIN NATS USER JWT-----\s*(\S+)/.exec(text)?.[1] : text.trim();
    if (old !== undefined && sameClaims(old, fresh)) return old;
  }
  if (!creds) writeFileSync(path, fresh);
  return fresh;
}

function sameClaims(a: string, b: string): boolean {
  try {
    return canonical(timeless(a)) === canonical(timeless(b));
  } catch {
    return false;
  }
}

// The claims without the issue time and id, the imports' activation tokens likewise.
function timeless(jwt: string): unknown {
  const claims = decode<{ imports?: Import[] }>(jwt);
  const imports = claims.nats.imports?.map((i) => ({ ...i, token: i.token === undefined ? undefined : timeless(i.token) }));
  return { ...claims, iat: 0, jti: '', nats: { ...claims.nats, ...(imports ? { imports } : {}) } };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
