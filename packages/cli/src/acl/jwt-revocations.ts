import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from '@nats-io/jwt';

/** A user JWT found in a `.creds` file that an earlier run wrote into the output directory. */
export interface IssuedUser {
  readonly file: string;
  /** The user's public key (`sub`). */
  readonly user: string;
  /** The public key of the account that issued it. */
  readonly account: string;
  /** Issue time, epoch seconds. */
  readonly iat: number;
  readonly jwt: string;
}

/** The user JWTs of every `.creds` file in `dir` (unreadable ones are skipped: they cannot be revoked by key). */
export function readIssuedUsers(dir: string): IssuedUser[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.creds'))
    .flatMap((f) => {
      const file = join(dir, f);
      const jwt = /-----BEGIN NATS USER JWT-----\s*(\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
      if (jwt === undefined) return [];
      try {
        const claims = decode<{ issuer_account?: string }>(jwt);
        return [{ file, user: claims.sub, account: claims.nats.issuer_account ?? claims.iss, iat: claims.iat, jwt }];
      } catch {
        return [];
      }
    });
}

/** The revocations an account JWT on disk carries (user public key → epoch seconds), or none. */
export function readRevocations(path: string, account: string): Record<string, number> {
  if (!existsSync(path)) return {};
  try {
    const claims = decode<{ revocations?: Record<string, number> }>(readFileSync(path, 'utf8').trim());
    return claims.sub === account ? { ...(claims.nats.revocations ?? {}) } : {};
  } catch {
    return {};
  }
}

/**
 * Revocations by account public key: what the account JWTs carry, plus every user JWT an earlier
 * run issued that is no longer the one in force (the user was removed, moved to another account,
 * or got new permissions). nats-server refuses a user JWT issued at or before its key's
 * revocation time (JWT v2 `revocations`), so the old `.creds` stop working once the regenerated
 * account JWTs are loaded.
 */
export class Revocations {
  private readonly byAccount = new Map<string, Record<string, number>>();

  /** Starts from an account's revocations on disk. */
  seed(account: string, revocations: Record<string, number>): void {
    this.byAccount.set(account, revocations);
  }

  /** Revokes `old` in its account, when that account is still issued. */
  revoke(old: IssuedUser): void {
    const list = this.byAccount.get(old.account);
    if (list !== undefined) list[old.user] = Math.max(list[old.user] ?? 0, old.iat);
  }

  /** An account's revocations, keys sorted so the JWT is stable; undefined for none. */
  of(account: string): Record<string, number> | undefined {
    const list = this.byAccount.get(account) ?? {};
    const keys = Object.keys(list).sort();
    return keys.length === 0 ? undefined : Object.fromEntries(keys.map((k) => [k, list[k]]));
  }
}
