import { createAdmin, createClient, createLogger } from '@natsmesh/core';
import { ROUTE_VERSIONS } from '../services/natsmesh-route.service';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT } from '../workload';
import type { Caller, CreateCaller } from './caller';

const SERVICE = 'bench';

/**
 * The natsmesh caller with a route rule in force: before the client starts, the route of `bench`
 * (90% to 1.0.0, 10% to 2.0.0) is written through `createAdmin`; the client reads it, gathers
 * both instances from discovery and sends each request to an instance of the version the weights
 * pick. Closing deletes the route, so the rule never outlives the round (the other natsmesh
 * contenders call `bench.echo` too).
 */
export const createCaller: CreateCaller = (url) => routedCaller(url, 90);

/**
 * The routed caller with `stablePercent` of the requests to 1.0.0 and the rest to 2.0.0, and, with
 * `mirrorPercent`, that share of the requests also copied to 2.0.0 (a mirror rule).
 */
export async function routedCaller(url: string, stablePercent: number, mirrorPercent?: number): Promise<Caller> {
  const admin = await createAdmin({ nats: { servers: url }, warnings: false, logger: false });
  const weights: Record<string, number> = stablePercent === 100 ? { [ROUTE_VERSIONS.stable]: 100 } : { [ROUTE_VERSIONS.stable]: stablePercent, [ROUTE_VERSIONS.canary]: 100 - stablePercent };
  await admin.routes.set({ service: SERVICE, weights });
  if (mirrorPercent !== undefined) await admin.mirrors.set({ service: SERVICE, version: ROUTE_VERSIONS.canary, percent: mirrorPercent });
  const client = await createClient({ nats: { servers: url }, logger: createLogger({ level: 'silent' }) });
  const registry = await client.registry();
  for (let i = 0; registry.instances(SERVICE).length < 2; i++) {
    if (i === 100) throw new Error(`the route caller saw ${registry.instances(SERVICE).length} of the 2 bench instances after 5 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (client.rules.current().routes.length !== 1) throw new Error('the route of bench is not in force in the caller (is JetStream on? --no-jetstream turns it off)');
  if (mirrorPercent !== undefined && client.rules.current().mirrors.length !== 1) throw new Error('the mirror of bench is not in force in the caller');
  return {
    request: () => client.request(REQUEST_SUBJECT, PAYLOAD),
    emit: () => client.emit(EVENT_SUBJECT, PAYLOAD),
    close: async () => {
      await client.close();
      await admin.routes.delete(SERVICE);
      if (mirrorPercent !== undefined) await admin.mirrors.delete(SERVICE);
      await admin.close();
    },
  };
}
