import type { ServiceDescription } from '@natsmesh/core';

/**
 * The file name stem of each service's page: its name, or `name@version` when several versions
 * of one service are documented together. Characters unsafe in file names become `_`.
 */
export function pageNames(services: readonly ServiceDescription[]): Map<ServiceDescription, string> {
  const count = new Map<string, number>();
  for (const s of services) count.set(s.name, (count.get(s.name) ?? 0) + 1);
  return new Map(services.map((s) => [s, safe(count.get(s.name)! > 1 ? `${s.name}@${s.version}` : s.name)]));
}

function safe(stem: string): string {
  const cleaned = stem.replace(/[^A-Za-z0-9._@-]/g, '_');
  // "index" is the catalog page.
  return cleaned === 'index' ? 'index_' : cleaned;
}
