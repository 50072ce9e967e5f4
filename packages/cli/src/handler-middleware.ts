import { gather, INSTANCE_PREFIX, type MeshClient } from '@natsmesh/core';

/** One subscription of a service as `natsmesh info` lists it. */
export interface SubscriptionRow {
  readonly pattern: string;
  readonly method: string;
  readonly queue?: string;
  /** Names of the middleware around the handler, outermost first; empty when none. */
  readonly middleware: readonly string[];
}

/** Only the strings of a list that came from another process; `[]` for anything not a list. */
export function namesFromUnknown(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : [];
}

/**
 * The middleware names an endpoint's `$SRV.INFO` metadata carries in `natsmesh.middleware` (a JSON
 * array); `[]` when the key is absent (an older natsmesh or another NATS micro service) or not such an array.
 */
export function endpointMiddleware(metadata: Record<string, string> | null | undefined): string[] {
  const text = metadata?.['natsmesh.middleware'];
  if (typeof text !== 'string') return [];
  try {
    return namesFromUnknown(JSON.parse(text));
  } catch {
    return [];
  }
}

/**
 * The subscriptions of `service` as the natsmesh app `instanceId` describes them
 * (`$NATSMESH.INSTANCE.<id>`; the Service API has no place for subscriptions). `[]` when the
 * instance does not answer (not a natsmesh app, or gone) or the service is not in its reply.
 */
export async function fetchSubscriptions(client: MeshClient, instanceId: string, service: string): Promise<SubscriptionRow[]> {
  const [info] = await gather<unknown>(client.connection, `${INSTANCE_PREFIX}.${instanceId}`, { maxWait: 1000, quiet: 10 });
  const services = (info as { services?: unknown } | null)?.services;
  const described = Array.isArray(services) ? (services as unknown[]).find((s) => (s as { name?: unknown } | null)?.name === service) : undefined;
  const subscriptions = (described as { subscriptions?: unknown } | undefined)?.subscriptions;
  if (!Array.isArray(subscriptions)) return [];
  return subscriptions.flatMap((raw: unknown) => {
    const sub = raw as { pattern?: unknown; method?: unknown; queue?: unknown; middleware?: unknown } | null;
    if (typeof sub?.pattern !== 'string' || typeof sub.method !== 'string') return [];
    const row = { pattern: sub.pattern, method: sub.method, middleware: namesFromUnknown(sub.middleware) };
    return [typeof sub.queue === 'string' ? { ...row, queue: sub.queue } : row];
  });
}
