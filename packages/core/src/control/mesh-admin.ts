import { KvWatchInclude, type KV, type KvEntry, type NatsConnection, type QueuedIterator } from 'nats';
import { drainAndClose } from '../client/nats-connection';
import { MeshError } from '../errors/mesh-error';
import { checkRule, checkRules, listName, type RuleOfKind } from './check-rule';
import type { StoredRule } from './live-rules';
import { bindRulesBucket, createRulesBucket, isBucketMissing, kindOfKey, ruleOfEntry } from './rules-bucket';
import { ruleKey, type CanaryRule, type FaultRule, type MeshRules, type MirrorRule, type RouteRule } from './rules-model';
import { RULE_KINDS, type RuleKind } from './rule-schemas';
import { knownVersions, ruleWarnings, type KnownVersions } from './rule-warnings';
import { watchRules } from './watch-rules';
import type { Logger } from '../logging/logger';

/** What a write did: the key written and the warnings about it (unknown services or versions). */
export interface RuleWrite {
  readonly key: string;
  readonly warnings: readonly string[];
}

/** What {@link MeshAdmin.apply} did. */
export interface ApplyResult {
  /** Keys written, in order. */
  readonly written: readonly string[];
  /** Keys deleted because the rules given do not hold them (`prune`). */
  readonly deleted: readonly string[];
  readonly warnings: readonly string[];
}

/** The rules of one kind in the bucket; `id` names one rule the way its key does. */
export interface RuleStore<R, Id extends unknown[]> {
  /**
   * The rule stored under the id, or undefined (also when there is no bucket yet).
   *
   * @throws MeshError `INVALID_RULE` when the stored value is not a valid rule (written around the admin), `JETSTREAM_UNAVAILABLE`.
   */
  get(...id: Id): Promise<R | undefined>;
  /**
   * Checks the rule and writes it (creating the bucket on the first write); every app and client
   * applies it within 1 s.
   *
   * @throws MeshError `INVALID_RULE` naming the bad field (nothing is written), `JETSTREAM_UNAVAILABLE`.
   */
  set(rule: R): Promise<RuleWrite>;
  /** Deletes the rule (apps drop it within 1 s); resolves with whether there was one. */
  delete(...id: Id): Promise<boolean>;
  /** Every valid rule of the kind, sorted by key (expired faults included; values that are not valid rules left out). */
  list(): Promise<R[]>;
}

/** Internal parts of {@link MeshAdmin}, made by `createAdmin`. */
export interface AdminParts {
  readonly nc: NatsConnection;
  readonly owns: boolean;
  readonly domain: string | undefined;
  /** Whether writes ask discovery for unknown services and versions. */
  readonly warnings: boolean;
  readonly logger: Logger;
}

/**
 * Reads and writes the control plane's rules in the `natsmesh_rules` KV bucket. Made by
 * `createAdmin({ nats })`; `close()` ends it.
 */
export class MeshAdmin {
  /** Routes (traffic shifting), one per service: `routes.get('hotel.booking')`. */
  readonly routes: RuleStore<RouteRule, [service: string]>;
  /** Mirrors, one per service or endpoint: `mirrors.get('hotel.booking', 'save')`. */
  readonly mirrors: RuleStore<MirrorRule, [service: string, endpoint?: string]>;
  /** Faults, by name: `faults.get('slow-save')`. */
  readonly faults: RuleStore<FaultRule, [name: string]>;
  /** Canary rollouts, one per service: `canaries.get('hotel.booking')`. */
  readonly canaries: RuleStore<CanaryRule, [service: string]>;
  private writer: Promise<KV> | undefined;
  private readonly stops = new Set<() => void>();

  constructor(private readonly parts: AdminParts) {
    this.routes = this.store('route', (service: string) => `route.${service}`);
    this.mirrors = this.store('mirror', (service: string, endpoint?: string) => `mirror.${service}${endpoint === undefined ? '' : `.${endpoint}`}`);
    this.faults = this.store('fault', (name: string) => `fault.${name}`);
    this.canaries = this.store('canary', (service: string) => `canary.${service}`);
  }

  /** Every rule in the bucket (expired faults included); no rules when there is no bucket yet. */
  async rules(): Promise<MeshRules> {
    const lists: Record<string, unknown[]> = { routes: [], mirrors: [], faults: [], canaries: [] };
    for (const s of (await this.readAll()).rules) lists[listName(s.kind)].push(s.rule);
    return lists as unknown as MeshRules;
  }

  /**
   * Calls `listener` with the rules in force now, then after each change (as apps see them:
   * expired faults left out). Resolves with a function that stops it.
   *
   * @throws MeshError `JETSTREAM_UNAVAILABLE`, `FORBIDDEN`.
   */
  async watch(listener: (rules: MeshRules) => void): Promise<() => void> {
    const view = await watchRules(this.parts.nc, { logger: this.parts.logger, domain: this.parts.domain });
    const stop = () => {
      this.stops.delete(stop);
      view.stop();
    };
    this.stops.add(stop);
    view.onChange(listener);
    listener(view.current());
    return stop;
  }

  /**
   * Makes the bucket hold `rules` (a mesh file): checks every rule first, and writes nothing when
   * one is invalid; then writes each, and with `prune` deletes the rules the set does not hold.
   * A fault whose end has passed is not written (it would no longer apply): it is reported in
   * `warnings`, so a mesh file kept in git still applies after its faults ended.
   * Not atomic across keys: apps may see the rules change one by one within the same second.
   *
   * @throws MeshError `INVALID_RULE` naming each bad field by its path (`routes.1.weights`).
   */
  async apply(rules: unknown, options: { prune?: boolean } = {}): Promise<ApplyResult> {
    const checked = checkRules(rules);
    const listed = RULE_KINDS.flatMap((kind) => (checked[listName(kind)] as readonly RuleOfKind[RuleKind][]).map((rule) => ({ kind, rule })));
    for (const { kind, rule } of listed) assertFaultEnd(kind, rule, true);
    const ended = listed.filter(({ kind, rule }) => kind === 'fault' && (rule as FaultRule).expiresAt <= Date.now());
    const all = listed.filter((r) => !ended.includes(r));
    const known = await this.known();
    const warnings = [
      ...ended.map(({ rule }) => `fault "${(rule as FaultRule).name}" ended at ${new Date((rule as FaultRule).expiresAt).toISOString()}: not applied`),
      ...all.flatMap(({ kind, rule }) => (known === undefined ? [] : ruleWarnings(kind, rule, known))),
    ];
    const written: string[] = [];
    for (const { kind, rule } of all) {
      const key = ruleKey(kind as 'route', rule as RouteRule);
      await this.put(key, rule);
      written.push(key);
    }
    const deleted: string[] = [];
    if (options.prune === true) {
      const keep = new Set(written);
      const kv = await this.openWriter();
      // Every rule key, valid or not: the bucket ends up holding exactly the rules given.
      for (const key of (await this.readAll()).keys) {
        if (!keep.has(key)) {
          await kv.delete(key);
          deleted.push(key);
        }
      }
    }
    return { written, deleted, warnings };
  }

  /** Stops the watches of this admin and closes the connection it opened. */
  async close(): Promise<void> {
    for (const stop of [...this.stops]) stop();
    if (this.parts.owns && !this.parts.nc.isClosed()) await drainAndClose(this.parts.nc);
  }

  private store<K extends RuleKind, Id extends unknown[]>(kind: K, keyOf: (...id: Id) => string): RuleStore<RuleOfKind[K], Id> {
    return {
      get: async (...id) => (await this.read(kindKey(kind, keyOf(...id))))?.rule as RuleOfKind[K] | undefined,
      set: async (rule) => {
        const checked = checkRule(kind, rule);
        assertFaultEnd(kind, checked, false);
        const key = ruleKey(kind as 'route', checked as RouteRule);
        const known = await this.known();
        await this.put(key, checked);
        return { key, warnings: known === undefined ? [] : ruleWarnings(kind, checked, known) };
      },
      delete: async (...id) => {
        const key = kindKey(kind, keyOf(...id));
        if ((await this.read(key)) === undefined) return false;
        await (await this.openWriter()).delete(key);
        return true;
      },
      list: async () => (await this.readAll()).rules.filter((s) => s.kind === kind).map((s) => s.rule as RuleOfKind[K]),
    };
  }

  private known(): Promise<KnownVersions | undefined> {
    return this.parts.warnings ? knownVersions(this.parts.nc) : Promise.resolve(undefined);
  }

  private async put(key: string, rule: unknown): Promise<void> {
    try {
      await (await this.openWriter()).put(key, JSON.stringify(rule));
    } catch (err) {
      // No stream answers the put: the bucket was deleted since this admin opened it. Create it again, once.
      if ((err as { code?: unknown }).code !== '503') throw noJetStream(err);
      this.writer = undefined;
      await (await this.openWriter()).put(key, JSON.stringify(rule));
    }
  }

  private openWriter(): Promise<KV> {
    this.writer ??= createRulesBucket(this.parts.nc, this.parts.domain).catch((err: unknown) => {
      this.writer = undefined;
      throw noJetStream(err);
    });
    return this.writer;
  }

  private async read(key: string): Promise<StoredRule | undefined> {
    const kind = kindOfKey(key)!;
    let entry: KvEntry | null;
    try {
      entry = await (await bindRulesBucket(this.parts.nc, this.parts.domain)).get(key);
    } catch (err) {
      if (isBucketMissing(err)) return undefined;
      throw noJetStream(err);
    }
    if (entry === null || entry.operation !== 'PUT') return undefined;
    return ruleOfEntry(kind, entry);
  }

  // Every valid rule stored, by key (a value that is not a valid rule is left out: apps skip it too), and every rule key.
  private async readAll(): Promise<{ rules: StoredRule[]; keys: string[] }> {
    let watcher: QueuedIterator<KvEntry>;
    let loaded = false;
    try {
      const kv = await bindRulesBucket(this.parts.nc, this.parts.domain);
      watcher = await kv.watch({
        include: KvWatchInclude.LastValue,
        // Not ignoreDeletes: with it, nats.js 2.29 may never call initializedFn (a prune hung on it); deletes are dropped below.
        initializedFn: () => {
          loaded = true;
          // The initial values are in: this is a one-shot read, not a watch.
          watcher?.stop();
        },
      });
    } catch (err) {
      if (isBucketMissing(err)) return { rules: [], keys: [] };
      throw noJetStream(err);
    }
    const found = new Map<string, StoredRule>();
    const keys = new Set<string>();
    if (loaded) watcher.stop();
    for await (const e of watcher) {
      const kind = kindOfKey(e.key);
      if (kind === undefined) continue;
      if (e.operation !== 'PUT') {
        found.delete(e.key);
        keys.delete(e.key);
        continue;
      }
      keys.add(e.key);
      try {
        found.set(e.key, ruleOfEntry(kind, e));
      } catch {
        found.delete(e.key);
      }
    }
    return { rules: [...found.values()].sort((a, b) => (a.key < b.key ? -1 : 1)), keys: [...keys].sort() };
  }
}

// An id that makes a key of another kind (a service named with dots is fine; an empty one is not).
function kindKey(kind: RuleKind, key: string): string {
  if (!/^[-/=\w]+(\.[-/=\w]+)+$/.test(key)) throw new MeshError('INVALID_RULE', `"${key}" is not a ${kind} rule key: name the ${kind === 'fault' ? 'fault' : 'service'} with letters, digits, "-", "_" and dots.`);
  return key;
}

/** The longest a fault may last from when it is written, ms: 30 days (every fault ends by itself). */
export const MAX_FAULT_LIFETIME_MS = 30 * 86_400_000;

// A fault must end, and not so late that "it ends by itself" means nothing; apply skips ended ones.
function assertFaultEnd(kind: RuleKind, rule: RuleOfKind[RuleKind], endedIsFine: boolean): void {
  if (kind !== 'fault') return;
  const f = rule as FaultRule;
  if (f.expiresAt > Date.now() + MAX_FAULT_LIFETIME_MS) {
    throw new MeshError('INVALID_RULE', `Invalid fault rule "${f.name}": expiresAt ${new Date(f.expiresAt).toISOString()} is more than 30 days away: a fault ends within 30 days of being written (write it again to extend it).`, [
      { field: 'expiresAt', constraints: { maximum: 'expiresAt is at most 30 days away' } },
    ]);
  }
  if (!endedIsFine && f.expiresAt <= Date.now()) {
    throw new MeshError('INVALID_RULE', `Invalid fault rule "${f.name}": expiresAt ${f.expiresAt} (${new Date(f.expiresAt).toISOString()}) is already past: set it to when the fault should end, e.g. Date.now() + 600000.`, [
      { field: 'expiresAt', constraints: { future: 'expiresAt is already past' } },
    ]);
  }
}

function noJetStream(err: unknown): unknown {
  if (MeshError.is(err)) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === '503') return new MeshError('JETSTREAM_UNAVAILABLE', 'The NATS server has no JetStream, so it cannot hold the control plane\'s rules: start nats-server with -js.', undefined, { cause: err });
  if (code === 'PERMISSIONS_VIOLATION') return new MeshError('FORBIDDEN', `NATS refused the admin's access to the rules bucket (${(err as Error).message}): connect with a user that may write $KV.natsmesh_rules.> and the JetStream API.`, undefined, { cause: err });
  return err;
}
