import type { Acl } from '@natsmesh/core';
import { renderTable } from '../output/table';

/**
 * The authorization matrix as a table: endpoint, its service, its allow, the callers it accepts;
 * in accounts mode also each account's members and what it imports from which account.
 */
export function aclMatrixText(acl: Acl): string {
  const rows = acl.matrix.map((r) => [r.subject, r.service, r.allow === undefined ? '(any declared)' : r.allow.length === 0 ? '(no one)' : r.allow.join(','), r.callers.length === 0 ? '-' : r.callers.join(',')]);
  const matrix = renderTable(['ENDPOINT', 'SERVICE', 'ALLOW', 'CALLERS'], rows);
  if (acl.accounts.length === 0) return matrix;
  const accounts = renderTable(
    ['ACCOUNT', 'USERS', 'IMPORTS'],
    acl.accounts.map((a) => [a.name, a.users.join(','), a.imports.length === 0 ? '-' : a.imports.map((i) => `${i.kind} ${i.subject} from ${i.account}`).join(', ')]),
  );
  return `${matrix}\n\n${accounts}`;
}
