import { gather, HEALTH_SUBJECT, type HealthReport, type MeshClient } from '@natsmesh/core';

/**
 * The health reports of every natsmesh app (`$NATSMESH.HEALTH`), sorted by instance id, or of
 * the apps `target` names: an instance id is asked on its own subject (`$NATSMESH.HEALTH.<id>`);
 * when no instance has that id (or it has dots, which no id has), the apps hosting a service of
 * that name.
 */
export async function fetchHealth(client: MeshClient, target?: string): Promise<HealthReport[]> {
  const nc = client.connection;
  if (target !== undefined && !target.includes('.')) {
    const one = await gather<unknown>(nc, `${HEALTH_SUBJECT}.${target}`, { maxWait: 2000, quiet: 10 });
    const reports = reportsFromUnknown(one);
    if (reports.length > 0) return reports;
  }
  const all = reportsFromUnknown(await gather<unknown>(nc, HEALTH_SUBJECT, { maxWait: 2000, quiet: 200 }));
  return target === undefined ? all : all.filter((r) => r.services.some((s) => s.name === target));
}

/** Only the replies shaped like a health report (they come from other processes), sorted by id. */
function reportsFromUnknown(replies: readonly unknown[]): HealthReport[] {
  return replies.flatMap((raw) => {
    const r = raw as Partial<Record<keyof HealthReport, unknown>> | null;
    if (typeof r?.id !== 'string' || typeof r.status !== 'string') return [];
    const services = Array.isArray(r.services)
      ? (r.services as unknown[]).flatMap((s) => {
          const { name, version } = (s ?? {}) as { name?: unknown; version?: unknown };
          return typeof name === 'string' ? [{ name, version: typeof version === 'string' ? version : '' }] : [];
        })
      : [];
    return [{ ...(raw as HealthReport), services }];
  }).sort((a, b) => a.id.localeCompare(b.id));
}
