import type { CanaryRule, CanaryState, CanaryStatus } from '@natsmesh/core';
import { renderTable } from '../output/table';
import { formatUptime } from '../output/uptime';
import { ruleText } from './rule-text';

/** `progressing, step 2 of 4, 25% to 2.0.0`; `succeeded, 100% to 2.0.0` once it ended. */
export function phaseText(state: CanaryState, steps?: number): string {
  if (state.phase === 'succeeded' || state.phase === 'rolled-back') return `${state.phase}, ${state.weight}% to ${state.to}`;
  const of = steps === undefined ? '' : ` of ${steps}`;
  return `${state.phase}, step ${state.step + 1}${of}, ${state.weight}% to ${state.to}`;
}

/** One decision on one line: `hotel.rooms 1.0.0 → 2.0.0: progressing, step 1 of 4, 5% to 2.0.0: started: …`. */
export function decisionLine(state: CanaryState, steps?: number): string {
  return `${state.service} ${state.from} → ${state.to}: ${phaseText(state, steps)}: ${state.reason}`;
}

/** Whether `state` is of the rollout `rule` describes (the same versions); a state without a rule is its own. */
export function stateOfRule(state: CanaryState | undefined, rule: CanaryRule | undefined): CanaryState | undefined {
  return state !== undefined && (rule === undefined || (rule.from === state.from && rule.to === state.to)) ? state : undefined;
}

/**
 * What `natsmesh canary status` prints of one service: the rule in force, the state its
 * controller stored, and a table of the live figures of each version.
 */
export function canaryStatusText(status: CanaryStatus, now = Date.now()): string {
  const { rule, state, figures } = status;
  const criteria = rule === undefined ? '' : Object.entries(rule.criteria).map(([k, v]) => `${k}=${v}`).join(' ');
  const head = rule === undefined ? `${status.service}: no canary rule in force` : `${status.service}: ${ruleText('canary', rule)}${criteria === '' ? '' : ` (${criteria})`}`;
  const lines = [head];
  if (state === undefined) {
    lines.push(`  state: none yet${rule === undefined ? '' : ': no controller has taken the rollout up (natsmesh canary run)'}`);
  } else {
    const own = stateOfRule(state, rule) !== undefined;
    const stale = own ? '' : ` (of an earlier rollout, ${state.from} → ${state.to})`;
    lines.push(`  state: ${phaseText(state, own ? rule?.steps.length : undefined)}, ${formatUptime(now - state.updatedAt)} ago${stale}: ${state.reason}`);
  }
  if (figures.length === 0) {
    lines.push('  no instance of the service answered');
  } else {
    const rows = figures.map((f) => [f.version, String(f.instances), String(f.requests), String(f.errors), `${(f.errorRatio * 100).toFixed(1)}%`, f.p99Ms === undefined ? '-' : `${f.p99Ms.toFixed(1)} ms`]);
    lines.push(...renderTable(['version', 'instances', 'requests', 'errors', 'error ratio', 'p99'], rows).split('\n').map((l) => `  ${l}`));
  }
  return lines.join('\n');
}
