import { NO_RULES, type FaultRule, type MeshRules, type RulesView } from './rules-model';
import { listName, type RuleOfKind } from './check-rule';
import type { RuleKind } from './rule-schemas';

/** A checked rule as stored under its key. */
export interface StoredRule {
  readonly key: string;
  readonly kind: RuleKind;
  readonly rule: RuleOfKind[RuleKind];
}

// setTimeout takes at most 2^31-1 ms; a later expiry is re-armed when that timer fires.
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The {@link RulesView} of an app or client: holds the snapshot built from the stored rules and
 * replaces it as a whole on each change. Faults past their `expiresAt` are left out of the
 * snapshot; one timer, set for the next expiry, rebuilds it then (nothing checks the time per message).
 */
export class LiveRules implements RulesView {
  private rules: MeshRules = NO_RULES;
  private stored: readonly StoredRule[] = [];
  private readonly listeners = new Set<{ readonly listener: (rules: MeshRules) => void }>();
  private timer: NodeJS.Timeout | undefined;

  /** Told of what a listener throws (the other listeners still run). */
  onListenerError: (err: unknown) => void = () => undefined;

  current(): MeshRules {
    return this.rules;
  }

  onChange(listener: (rules: MeshRules) => void): () => void {
    const entry = { listener };
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Replaces every stored rule (sorted by key, so equal contents give equal snapshots) and tells the listeners. */
  replace(stored: Iterable<StoredRule>): void {
    this.stored = [...stored].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.rebuild();
  }

  /** Stops the expiry timer; the snapshot stays as it is. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private rebuild(): void {
    this.stop();
    const now = Date.now();
    const lists: Record<ReturnType<typeof listName>, unknown[]> = { routes: [], mirrors: [], faults: [], canaries: [] };
    let nextExpiry = Infinity;
    for (const s of this.stored) {
      if (s.kind === 'fault') {
        const expiresAt = (s.rule as FaultRule).expiresAt;
        if (expiresAt <= now) continue;
        nextExpiry = Math.min(nextExpiry, expiresAt);
      }
      lists[listName(s.kind)].push(s.rule);
    }
    const empty = Object.values(lists).every((l) => l.length === 0);
    for (const list of Object.values(lists)) Object.freeze(list);
    this.rules = empty ? NO_RULES : (Object.freeze(lists) as unknown as MeshRules);
    if (nextExpiry !== Infinity) {
      this.timer = setTimeout(() => this.rebuild(), Math.min(MAX_DELAY, nextExpiry - now));
      this.timer.unref();
    }
    for (const { listener } of [...this.listeners]) {
      try {
        listener(this.rules);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}
