import type { BrokerOptions } from 'moleculer';

/** Moleculer's built-in metrics with its Prometheus reporter on a free port: what a Moleculer user turns on for metrics. */
export const MOLECULER_METRICS: Partial<BrokerOptions> = {
  metrics: { enabled: true, reporter: [{ type: 'Prometheus', options: { port: 0 } }] },
};
