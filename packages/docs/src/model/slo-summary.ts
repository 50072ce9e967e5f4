import type { SloOptions } from '@natsmesh/core';

/**
 * An endpoint's SLO in words, e.g. "99.9 % of requests succeed over 30d (server faults count;
 * `PAYMENT_DECLINED` does not), p99 ≤ 250 ms". `code` renders an error code, which comes from the
 * service and so must be escaped by the format; the rest is numbers and a checked window
 * (normalizeDescriptions drops an SLO that fails the checks), safe in Markdown and HTML.
 */
export function sloSummary(slo: SloOptions, code: (text: string) => string): string {
  const parts: string[] = [];
  if (slo.errorRate !== undefined) {
    const success = Number(((1 - slo.errorRate) * 100).toPrecision(10));
    const exempt = slo.clientCodes?.length ? `; ${slo.clientCodes.map(code).join(', ')} ${slo.clientCodes.length === 1 ? 'does' : 'do'} not` : '';
    parts.push(`${success} % of requests succeed${slo.window ? ` over ${slo.window}` : ''} (server faults count${exempt})`);
  }
  if (slo.p99 !== undefined) parts.push(`p99 ≤ ${slo.p99} ms`);
  return parts.join(', ');
}
