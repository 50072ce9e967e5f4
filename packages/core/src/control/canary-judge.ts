import type { CanaryRule } from './rules-model';
import type { VersionFigures } from './version-figures';

/** What a canary controller does after a step's interval. */
export interface CanaryVerdict {
  /** `advance` to the next step, `pause` at this one (judged again after the next interval), `succeed` after the last step, `rollback` to 0%. */
  readonly action: 'advance' | 'pause' | 'succeed' | 'rollback';
  /** Why, with the figures it was read from. */
  readonly reason: string;
}

/** The figures of one step's window and the baseline's p99 to compare with. */
export interface StepFigures {
  /** The new version (`rule.to`); undefined when none of its instances answered. */
  readonly canary: VersionFigures | undefined;
  /** The baseline version (`rule.from`). */
  readonly baseline: VersionFigures | undefined;
  /**
   * The baseline p99 to compare with, ms: this window's, else the last one seen (at 100% the
   * baseline gets no traffic); undefined when never seen, and then p99 is not judged.
   */
  readonly baselineP99Ms: number | undefined;
}

/**
 * Judges step `step` of a rollout from its window's figures: too few canary requests
 * (`minRequests`, default 1) pause it; an error ratio above `maxErrorRatio` or a p99 above
 * `maxP99Ratio` times the baseline's rolls it back; otherwise it advances, or succeeds after the
 * last step.
 */
export function judgeCanary(rule: CanaryRule, step: number, figures: StepFigures): CanaryVerdict {
  const { canary, baselineP99Ms } = figures;
  const { maxErrorRatio, maxP99Ratio, minRequests = 1 } = rule.criteria;
  const requests = canary?.requests ?? 0;
  if (canary === undefined && minRequests > 0) {
    return { action: 'pause', reason: `no instance of ${rule.service} ${rule.to} answered $SRV.STATS: waiting for one` };
  }
  if (requests < minRequests) {
    return { action: 'pause', reason: `${requests} requests to ${rule.to}, fewer than minRequests ${minRequests}: waiting for traffic` };
  }
  const ratio = canary?.errorRatio ?? 0;
  if (maxErrorRatio !== undefined && ratio > maxErrorRatio) {
    return { action: 'rollback', reason: `error ratio ${ratio.toFixed(3)} of ${rule.to} over ${requests} requests is above maxErrorRatio ${maxErrorRatio}: rolled back to ${rule.from}` };
  }
  const p99 = canary?.p99Ms;
  const p99Text = p99 === undefined ? '' : `, p99 ${p99.toFixed(1)} ms${baselineP99Ms === undefined ? '' : ` (${rule.from}: ${baselineP99Ms.toFixed(1)} ms)`}`;
  if (maxP99Ratio !== undefined && p99 !== undefined && baselineP99Ms !== undefined && baselineP99Ms > 0 && p99 / baselineP99Ms > maxP99Ratio) {
    return {
      action: 'rollback',
      reason: `p99 ${p99.toFixed(1)} ms of ${rule.to} is ${(p99 / baselineP99Ms).toFixed(2)} times ${rule.from}'s ${baselineP99Ms.toFixed(1)} ms, above maxP99Ratio ${maxP99Ratio}: rolled back to ${rule.from}`,
    };
  }
  const healthy = `${rule.to} healthy over ${requests} requests (error ratio ${ratio.toFixed(3)}${p99Text})`;
  if (step >= rule.steps.length - 1) return { action: 'succeed', reason: `${healthy}: ${rule.to} takes all traffic` };
  return { action: 'advance', reason: `${healthy}: next step ${rule.steps[step + 1]}%` };
}
