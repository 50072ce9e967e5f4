import type { FaultRule, RulesView } from './rules-model';

/**
 * Calls `apply` with the faults of the view now, then on every change of it. The view leaves a
 * fault out from its `expiresAt` on (the app's and client's view re-reads at the next expiry by a
 * timer), so `apply` is called then too, and nothing checks the time per message. `now` is when
 * `apply` runs, for leaving out a fault that expired meanwhile. Returns a function that stops it.
 */
export function followFaults(view: RulesView, apply: (faults: readonly FaultRule[], now: number) => void): () => void {
  const off = view.onChange((rules) => apply(rules.faults, Date.now()));
  apply(view.current().faults, Date.now());
  return off;
}
