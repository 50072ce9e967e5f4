import type * as PromClient from 'prom-client';

// Loaded only by an app with metrics on: importing @natsmesh/core must not pay for it.
let promModule: typeof PromClient | undefined;

/** prom-client, required on first use. */
export function loadPromClient(): typeof PromClient {
  return (promModule ??= require('prom-client') as typeof PromClient);
}
