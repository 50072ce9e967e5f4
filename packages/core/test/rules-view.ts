import type { MeshRules, RulesView } from '../src/control/rules-model';
import { NO_RULES } from '../src/control/rules-model';

/** A RulesView the test sets by hand, as the KV watcher would on a change. */
export class SettableRulesView implements RulesView {
  private rules: MeshRules = NO_RULES;
  private readonly listeners = new Set<(rules: MeshRules) => void>();

  current(): MeshRules {
    return this.rules;
  }

  onChange(listener: (rules: MeshRules) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(rules: Partial<MeshRules>): void {
    this.rules = { ...NO_RULES, ...rules };
    for (const l of this.listeners) l(this.rules);
  }
}
