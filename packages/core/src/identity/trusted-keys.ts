import { readFileSync } from 'node:fs';
import type { Acl } from '../acl/acl-model';
import { MeshError } from '../errors/mesh-error';

/** The file `natsmesh acl` writes beside the seeds: each user's name and nkey public key. */
export const TRUSTED_KEYS_FILE = 'keys.json';

/**
 * `keys.json` of an ACL: `{ "<user name>": "<nkey public key>" }` for every service and caller
 * role, sorted, one per line (a key change shows as a one-line diff). Public keys only: no secret.
 */
export function renderTrustedKeys(acl: Acl): string {
  const keys: Record<string, string> = {};
  for (const u of [...acl.users].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) keys[u.name] = u.nkey;
  return `${JSON.stringify(keys, null, 2)}\n`;
}

/**
 * Reads a trust file such as `keys.json`: an object from caller name to nkey public key.
 *
 * @throws MeshError `INVALID_OPTIONS` when it cannot be read or is not such an object.
 */
export function readTrustedKeys(path: string, where: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MeshError('INVALID_OPTIONS', `${where} "${path}" cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): pass the keys.json natsmesh acl --out wrote.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MeshError('INVALID_OPTIONS', `${where} "${path}" is not a JSON object of caller name to nkey public key: pass the keys.json natsmesh acl --out wrote.`);
  }
  return parsed as Record<string, string>;
}
