import { KvWatchInclude, type KvEntry, type NatsConnection, type QueuedIterator, type Subscription } from 'nats';
import type { Logger } from '../logging/logger';
import { logSafely } from '../logging/log-safely';
import type { LiveRules, StoredRule } from './live-rules';
import { bindRulesBucket, isBucketMissing, kindOfKey, RULES_CREATED_ADVISORY, RULES_DELETED_ADVISORY, ruleOfEntry } from './rules-bucket';
import { NO_RULES, RULES_BUCKET } from './rules-model';

/** How often a view without a bucket looks again, besides listening for the server's stream-created advisory, ms. */
export const BUCKET_RETRY_MS = 10_000;

/**
 * Keeps a {@link LiveRules} equal to the rules bucket: one ordered KV watch (last value per key,
 * then every change as the server pushes it), so a change reaches the view as fast as a message.
 *
 * Readers may not create the bucket (the generated ACL lets services read it only); the admin
 * creates it on its first write. While it does not exist, the view holds no rules and waits for
 * the server's `$JS.EVENT.ADVISORY.STREAM.CREATED.KV_natsmesh_rules` advisory (no polling of the
 * JetStream API per interval), and tries again every {@link BUCKET_RETRY_MS} in case the advisory
 * was missed (a user that may not read advisories). A deleted bucket (its `STREAM.DELETED`
 * advisory, or the watch ending) empties the view, which waits again; a bucket created anew is
 * read from its start.
 */
export class RulesFollower {
  private watcher: QueuedIterator<KvEntry> | undefined;
  private readonly advisories: Subscription[] = [];
  private retry: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  /** Set when an advisory or the timer asked for an attempt while one was running: that one may have looked too early. */
  private again = false;
  private stopped = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly live: LiveRules,
    private readonly logger: Logger,
    private readonly domain: string | undefined,
  ) {}

  /**
   * Resolves once the view holds what the bucket holds (or knows there is no bucket yet).
   *
   * @throws what nats.js throws for a watch refused for another reason than a missing bucket (a permissions violation).
   */
  start(): Promise<void> {
    // Listening before looking: a bucket created between the look and the subscription would be missed.
    this.advisories.push(
      this.nc.subscribe(RULES_CREATED_ADVISORY, { callback: () => this.restart() }),
      this.nc.subscribe(RULES_DELETED_ADVISORY, { callback: () => this.bucketGone() }),
    );
    return this.tryFollow();
  }

  /** Stops watching and waiting; the view keeps its last rules. */
  stop(): void {
    this.stopped = true;
    this.retire();
    for (const sub of this.advisories.splice(0)) sub.unsubscribe();
    clearTimeout(this.retry);
    this.live.stop();
  }

  private retire(): void {
    const watcher = this.watcher;
    this.watcher = undefined;
    watcher?.stop();
  }

  // A new bucket: whatever the watch followed before is gone; read the new one from its start.
  private restart(): void {
    this.retire();
    void this.retryFollow();
  }

  private bucketGone(): void {
    this.retire();
    const held = this.live.current();
    if (held !== NO_RULES && (held.routes.length + held.mirrors.length + held.faults.length + held.canaries.length) > 0) {
      logSafely(() => this.logger.warn({ bucket: RULES_BUCKET }, 'control plane: the rules bucket was deleted; no rules are in force until one is written'));
    }
    if (held !== NO_RULES) this.live.replace([]);
    this.waitForBucket();
  }

  private tryFollow(): Promise<void> {
    if (this.attempt !== undefined) {
      this.again = true;
      return this.attempt;
    }
    this.attempt = (async () => {
      try {
        do {
          this.again = false;
          await this.follow();
        } while (this.again && this.watcher === undefined && !this.stopped);
      } finally {
        this.attempt = undefined;
      }
    })();
    return this.attempt;
  }

  private async follow(): Promise<void> {
    if (this.stopped || this.watcher !== undefined) return;
    const entries = new Map<string, StoredRule>();
    const state = { loaded: false };
    let initialized!: () => void;
    const loaded = new Promise<void>((resolve) => (initialized = resolve));
    let watcher: QueuedIterator<KvEntry>;
    try {
      const kv = await bindRulesBucket(this.nc, this.domain);
      watcher = await kv.watch({
        include: KvWatchInclude.LastValue,
        initializedFn: () => {
          state.loaded = true;
          this.live.replace(entries.values());
          initialized();
        },
      });
    } catch (err) {
      if (!isBucketMissing(err)) throw err;
      this.bucketGone();
      return;
    }
    if (this.stopped) {
      watcher.stop();
      return;
    }
    clearTimeout(this.retry);
    this.watcher = watcher;
    const ended = this.consume(watcher, entries, state);
    await Promise.race([loaded, ended]);
  }

  // Until the initial values are in (state.loaded), entries only collect: the view changes once, whole.
  private async consume(watcher: QueuedIterator<KvEntry>, entries: Map<string, StoredRule>, state: { readonly loaded: boolean }): Promise<void> {
    try {
      for await (const e of watcher) {
        if (this.apply(e, entries) && state.loaded) this.live.replace(entries.values());
      }
    } catch (err) {
      if (this.watcher === watcher && !this.nc.isClosed()) logSafely(() => this.logger.warn({ err, bucket: RULES_BUCKET }, 'control plane: the rules watch failed; following again'));
    }
    // Retired on purpose (stop, a new or deleted bucket): whoever retired it decides what follows.
    if (this.watcher !== watcher || this.nc.isClosed()) return;
    this.watcher = undefined;
    await this.retryFollow();
  }

  // Whether the entry changed the rules; an invalid value is logged and leaves no rule under its key.
  private apply(e: KvEntry, entries: Map<string, StoredRule>): boolean {
    const kind = kindOfKey(e.key);
    if (kind === undefined) return false;
    if (e.operation !== 'PUT') return entries.delete(e.key);
    try {
      entries.set(e.key, ruleOfEntry(kind, e));
    } catch (err) {
      entries.delete(e.key);
      logSafely(() => this.logger.warn({ err, key: e.key, revision: e.revision }, 'control plane: invalid rule in the bucket skipped'));
    }
    return true;
  }

  private waitForBucket(): void {
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.retryFollow(), BUCKET_RETRY_MS);
    this.retry.unref();
  }

  private async retryFollow(): Promise<void> {
    if (this.stopped || this.nc.isClosed()) return;
    try {
      await this.tryFollow();
    } catch (err) {
      logSafely(() => this.logger.warn({ err, bucket: RULES_BUCKET }, 'control plane: cannot watch the rules bucket; trying again later'));
      this.waitForBucket();
    }
  }
}
