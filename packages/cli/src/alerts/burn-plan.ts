import { BURN_CONDITIONS, burnFactor, forPeople, round, type BurnCondition } from './burn-rates';

/** A condition of {@link BURN_CONDITIONS} with its factor for one SLO. */
export interface PlannedCondition {
  readonly condition: BurnCondition;
  /** How many times the allowed error rate it looks for. */
  readonly factor: number;
}

/**
 * A condition left out of an SLO's alerts: `within-budget` when its factor is below 1 (an SLO
 * window shorter than the workbook's 30 days), so it would fire while fewer requests fail than
 * the SLO allows; `unreachable` when factor × errorRate is 100 % or more, which no error ratio is.
 */
export interface LeftOutCondition extends PlannedCondition {
  readonly why: 'within-budget' | 'unreachable';
}

/** Which burn-rate conditions an SLO gets, in {@link BURN_CONDITIONS} order. */
export interface BurnPlan {
  readonly kept: readonly PlannedCondition[];
  readonly leftOut: readonly LeftOutCondition[];
}

/**
 * The burn-rate conditions worth alerting on for `errorRate` over a window of `days`. A factor
 * of exactly 1 is kept: the alert compares with `>`, so it fires only above the allowed rate (the
 * workbook's own 3d ticket for 30 days). A long window as long as the SLO window or longer always
 * has a factor below 1 (it spends at most its share of the budget), so it is left out as well.
 */
export function burnPlan(errorRate: number, days: number): BurnPlan {
  const kept: PlannedCondition[] = [];
  const leftOut: LeftOutCondition[] = [];
  for (const condition of BURN_CONDITIONS) {
    const factor = burnFactor(condition, days);
    if (factor < 1) leftOut.push({ condition, factor, why: 'within-budget' });
    else if (factor * errorRate >= 1) leftOut.push({ condition, factor, why: 'unreachable' });
    else kept.push({ condition, factor });
  }
  return { kept, leftOut };
}

/** Why a condition was left out and what keeps it, as a sentence for a warning. */
export function leftOutReason(l: LeftOutCondition, errorRate: number, window: string): string {
  const { severity, long, short } = l.condition;
  const what = `the ${severity} condition over ${long} and ${short} is left out`;
  if (l.why === 'within-budget') {
    const days = Math.ceil(round(l.condition.longHours / (l.condition.budget * 24)));
    return `${what}: over a ${window} window it looks for ${forPeople(l.factor)}× the allowed error rate, below 1×, so it would fire while the SLO holds (it needs a window of ${days}d or more).`;
  }
  return `${what}: errorRate ${errorRate} × ${forPeople(l.factor)} is 100 % or more and an error ratio never is, so it could never fire; use an errorRate below ${floor2(1 / l.factor)}.`;
}

// Two significant digits, rounded down so that the bound it names still holds.
function floor2(n: number): number {
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return round(Math.floor(round(n / step)) * step);
}
