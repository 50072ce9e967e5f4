import type { Acl } from '@natsmesh/core';
import { renderTable } from '../output/table';

/** The authorization matrix as a table: endpoint, its service, its allow, the callers it accepts. */
export function aclMatrixText(acl: Acl): string {
  const rows = acl.matrix.map((r) => [r.subject, r.service, r.allow === undefined ? '(any declared)' : r.allow.length === 0 ? '(no one)' : r.allow.join(','), r.callers.length === 0 ? '-' : r.callers.join(',')]);
  return renderTable(['ENDPOINT', 'SERVICE', 'ALLOW', 'CALLERS'], rows);
}
