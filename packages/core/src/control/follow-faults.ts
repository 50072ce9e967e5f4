import { MAX_TIMER_MS } from '../options/check-millis';
import type { FaultRule, RulesView } from './rules-model';
import { nextExpiry } from './fault-plan';

/**
 * Calls `apply` with the faults in force now, again on every change of the view, and again when
 * the next fault expires (one timer, not a time check per message): a fault ends at its
 * `expiresAt` even when nothing else changes. Returns a function that stops it.
 */
export function followFaults(view: RulesView, apply: (faults: readonly FaultRule[], now: number) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = (faults: readonly FaultRule[]) => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    const now = Date.now();
    apply(faults, now);
    const next = nextExpiry(faults, now);
    if (next === undefined) return;
    // +1: a timer may fire within the millisecond before it is due; the fault must have expired by then.
    timer = setTimeout(() => run(view.current().faults), Math.min(next - now + 1, MAX_TIMER_MS));
    timer.unref();
  };
  const off = view.onChange((rules) => run(rules.faults));
  run(view.current().faults);
  return () => {
    stopped = true;
    off();
    clearTimeout(timer);
  };
}
