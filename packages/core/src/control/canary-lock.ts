import type { KV } from 'nats';
import { decodeJson, encodeJson } from '../codec/json-codec';

/** The KV key of the lock of a service's rollout, in the rules bucket. */
export function canaryLockKey(service: string): string {
  return `canary-lock.${service}`;
}

/** The value of a lock: who holds it, until when (epoch ms; nats-server 2.9 has no per-key TTL). */
export interface CanaryLockValue {
  readonly owner: string;
  readonly expiresAt: number;
}

const WRONG_LAST_SEQUENCE = 10071;

/**
 * The lock that lets one controller at a time drive a service's rollout: `canary-lock.<service>`,
 * taken and renewed by compare-and-set on the key's revision, with its expiry in the value. A
 * controller that dies leaves it to expire; another may take it from then on. Expiry is judged
 * by the clocks of the controllers, so they should agree within a fraction of `ttlMs`.
 * Operations run one at a time, so a renewal never races another from the same holder.
 */
export class CanaryLock {
  private revision: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kv: KV,
    readonly service: string,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Whether this holder took the lock and has not lost or released it since. */
  get held(): boolean {
    return this.revision !== undefined;
  }

  /**
   * Takes the lock when nobody holds it or its holder let it expire; renews it when held.
   * Resolves with whether it is held now.
   */
  acquire(): Promise<boolean> {
    return this.serial(async () => {
      if (this.revision !== undefined) return this.write(this.revision);
      const key = canaryLockKey(this.service);
      const entry = await this.kv.get(key);
      if (entry === null || entry.operation !== 'PUT') return this.create();
      const value = lockValueOf(entry.value);
      if (value !== undefined && value.owner !== this.owner && value.expiresAt > Date.now()) return false;
      return this.write(entry.revision);
    });
  }

  /** Pushes the expiry `ttlMs` ahead; resolves false when the lock was lost (taken over after it expired). */
  renew(): Promise<boolean> {
    return this.serial(async () => (this.revision === undefined ? false : this.write(this.revision)));
  }

  /** Deletes the lock if this holder still holds it, so another controller may take it at once. */
  release(): Promise<void> {
    return this.serial(async () => {
      const revision = this.revision;
      this.revision = undefined;
      if (revision === undefined) return;
      try {
        await this.kv.delete(canaryLockKey(this.service), { previousSeq: revision });
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    });
  }

  /** Forgets the lock without touching the bucket (the connection is gone). */
  drop(): void {
    this.revision = undefined;
  }

  private async create(): Promise<boolean> {
    try {
      this.revision = await this.kv.create(canaryLockKey(this.service), this.value());
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  private async write(revision: number): Promise<boolean> {
    try {
      this.revision = await this.kv.update(canaryLockKey(this.service), this.value(), revision);
      return true;
    } catch (err) {
      this.revision = undefined;
      if (isConflict(err)) return false;
      throw err;
    }
  }

  private value(): Uint8Array {
    return encodeJson({ owner: this.owner, expiresAt: Date.now() + this.ttlMs } satisfies CanaryLockValue);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The lock a bucket value holds; undefined when it is not one (then it may be taken). */
export function lockValueOf(data: Uint8Array): CanaryLockValue | undefined {
  try {
    const v = decodeJson(data) as Partial<CanaryLockValue> | null;
    return typeof v?.owner === 'string' && typeof v.expiresAt === 'number' ? { owner: v.owner, expiresAt: v.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}

// Another writer changed the key since the revision we hold (or created it first).
function isConflict(err: unknown): boolean {
  const api = (err as { api_error?: { err_code?: number } } | undefined)?.api_error;
  return api?.err_code === WRONG_LAST_SEQUENCE || /wrong last sequence/i.test((err as Error | undefined)?.message ?? '');
}
