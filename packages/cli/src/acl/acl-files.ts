import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderServerAuthorization, renderTrustedKeys, TRUSTED_KEYS_FILE, type Acl } from '@natsmesh/core';

/** The include file `natsmesh acl` writes into `--out`. */
export const AUTHORIZATION_FILE = 'authorization.conf';

/** The seed file of a user in `--out`: `<name>.nk`, with characters unsafe in file names as `_`. */
export function seedFileOf(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.nk`;
}

/** The seeds already in `dir` for these users, so a regeneration keeps every key. */
export function readSeeds(dir: string, names: readonly string[]): Record<string, string> {
  const seeds: Record<string, string> = {};
  for (const name of names) {
    const path = join(dir, seedFileOf(name));
    if (existsSync(path)) seeds[name] = readFileSync(path, 'utf8').trim();
  }
  return seeds;
}

/**
 * Writes the authorization include and the seeds that are new (0600, in a 0700 directory when it
 * creates one); seeds already there are left as they are, only their mode is made 0600.
 *
 * @returns the paths written or kept.
 */
export function writeAclFiles(dir: string, acl: Acl): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = [join(dir, AUTHORIZATION_FILE)];
  writeFileSync(files[0], renderServerAuthorization(acl));
  for (const [name, seed] of Object.entries(acl.seeds)) {
    const path = join(dir, seedFileOf(name));
    if (!existsSync(path)) writeFileSync(path, seed, { mode: 0o600 });
    chmodSync(path, 0o600);
    files.push(path);
  }
  files.push(writeTrustedKeys(dir, acl));
  return files;
}

/** Writes `keys.json`: each user's nkey public key, the `identity.trust` of signed caller identity. */
export function writeTrustedKeys(dir: string, acl: Acl): string {
  const path = join(dir, TRUSTED_KEYS_FILE);
  writeFileSync(path, renderTrustedKeys(acl));
  return path;
}
