import { gather, toSrvName, type MeshClient } from '@natsmesh/core';
import type { ServiceInfo, ServiceStats } from 'nats';

/** The natsmesh name of a Service API response: its `natsmesh.service` metadata, else its `$SRV` name. */
export function serviceNameOf(r: { name: string; metadata?: Record<string, string> | null }): string {
  return r.metadata?.['natsmesh.service'] ?? r.name;
}

/**
 * The instance a Service API response comes from: the natsmesh app id (metadata `natsmesh.instance`;
 * each service of an app has its own `$SRV` id derived from it), else the `$SRV` id.
 */
export function instanceOf(r: { id: string; metadata?: Record<string, string> | null }): string {
  return r.metadata?.['natsmesh.instance'] ?? r.id;
}

/** `$SRV.INFO` replies of every instance, or of those of one service. */
export function fetchInfo(client: MeshClient, service?: string): Promise<ServiceInfo[]> {
  return fetchVerb<ServiceInfo>(client, 'INFO', service);
}

/** `$SRV.STATS` replies of the instances of one service. */
export function fetchStats(client: MeshClient, service: string): Promise<ServiceStats[]> {
  return fetchVerb<ServiceStats>(client, 'STATS', service);
}

async function fetchVerb<T extends { name: string; id: string }>(client: MeshClient, verb: string, service?: string): Promise<T[]> {
  const subject = service === undefined ? `$SRV.${verb}` : `$SRV.${verb}.${toSrvName(service)}`;
  const replies = await gather<T>(client.connection, subject, { maxWait: 2000, quiet: 200 });
  return replies
    .filter((r) => r && typeof r.name === 'string' && typeof r.id === 'string')
    .sort((a, b) => serviceNameOf(a as never).localeCompare(serviceNameOf(b as never)) || a.id.localeCompare(b.id));
}
