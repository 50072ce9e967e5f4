/**
 * One multiwindow, multi-burn-rate condition of the Google SRE workbook, chapter 5 "Alerting on
 * SLOs", table 5-8 (https://sre.google/workbook/alerting-on-slos/): it holds when the error ratio
 * over both the long and the short window is above `factor` × the allowed error rate, where
 * `factor` spends `budget` of the SLO window's error budget within `long`.
 */
export interface BurnCondition {
  readonly severity: 'page' | 'ticket';
  /** Fraction of the window's error budget spent in `long` that is worth the alert. */
  readonly budget: number;
  readonly long: string;
  readonly longHours: number;
  readonly short: string;
}

/** The workbook's recommended four conditions: two page, two open a ticket. */
export const BURN_CONDITIONS: readonly BurnCondition[] = [
  { severity: 'page', budget: 0.02, long: '1h', longHours: 1, short: '5m' },
  { severity: 'page', budget: 0.05, long: '6h', longHours: 6, short: '30m' },
  { severity: 'ticket', budget: 0.1, long: '1d', longHours: 24, short: '2h' },
  { severity: 'ticket', budget: 0.1, long: '3d', longHours: 72, short: '6h' },
];

/** Every window a condition reads, shortest first: one recording rule each. */
export const RATIO_WINDOWS: readonly string[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/**
 * How many times the allowed error rate a condition looks for, with an SLO window of `days`:
 * 14.4, 6, 3 and 1 for 30 days, as in the workbook.
 */
export function burnFactor(c: BurnCondition, days: number): number {
  return round((c.budget * days * 24) / c.longHours);
}

/** A number as PromQL and people read it: no binary noise such as 14.400000000000002. */
export function round(n: number): number {
  return Number(n.toPrecision(10));
}

/** A factor as people read it in alert text: at most two decimals (0.93, 3.33, 14.4); PromQL keeps {@link round}. */
export function forPeople(n: number): string {
  return String(Number(n.toFixed(2)));
}
