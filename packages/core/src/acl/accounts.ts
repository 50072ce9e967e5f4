import type { ServiceDescription } from '../app/describe';
import { MeshError } from '../errors/mesh-error';
import { checkAccountName } from '../scanner/service-options-check';
import { assertSubject } from '../scanner/subject';
import { subjectCovers, subjectsOverlap } from '../scanner/subject-match';
import { compare } from './authorization-matrix';
import { DEFAULT_ACCOUNT, type AccountExport, type AccountImport, type AclAccount, type AclProblem, type MatrixRow } from './acl-model';

/** Account name → the service and caller role names (or name patterns such as `hotel.>`) in it. */
export type AccountMapping = Readonly<Record<string, readonly string[]>>;

/**
 * The account of each principal: the mapping's entry that covers its name, else the service's
 * `account` option, else {@link DEFAULT_ACCOUNT}; undefined when neither the mapping nor any
 * service names an account (the one-account output). Mapping entries that match nothing are
 * reported as `unknown` problems.
 *
 * @throws MeshError `INVALID_OPTIONS` for a bad account name, a mapping that is not lists of
 * names, or a principal two accounts claim; `INVALID_SUBJECT` for an entry that is no name or pattern.
 */
export function assignAccounts(
  principals: readonly { readonly name: string; readonly account?: string }[],
  mapping: AccountMapping | undefined,
  problems: AclProblem[],
): Map<string, string> | undefined {
  if (mapping === undefined && principals.every((p) => p.account === undefined)) return undefined;
  const entries = checkedMapping(mapping ?? {});
  const assigned = new Map<string, string>();
  for (const p of principals) {
    const claims = [...new Set(entries.filter((e) => subjectCovers(e.pattern, p.name)).map((e) => e.account))];
    if (claims.length > 1) {
      throw new MeshError('INVALID_OPTIONS', `The accounts mapping puts "${p.name}" in ${claims.join(' and ')}: a user belongs to one account, keep one entry.`);
    }
    assigned.set(p.name, claims[0] ?? p.account ?? DEFAULT_ACCOUNT);
  }
  for (const e of entries) {
    if (!principals.some((p) => subjectCovers(e.pattern, p.name))) {
      problems.push({
        kind: 'unknown',
        caller: e.account,
        call: e.pattern,
        message: `The accounts mapping entry "${e.pattern}" of ${e.account} matches no service or caller role in the model: ignored; check its spelling.`,
      });
    }
  }
  return assigned;
}

function checkedMapping(mapping: AccountMapping): { account: string; pattern: string }[] {
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    throw new MeshError('INVALID_OPTIONS', 'The accounts mapping must map account names to lists of services, e.g. { PAYMENTS: ["hotel.payments"] }.');
  }
  return Object.entries(mapping).flatMap(([account, names]) => {
    checkAccountName(account, 'An account of the accounts mapping');
    if (!Array.isArray(names)) {
      throw new MeshError('INVALID_OPTIONS', `The accounts mapping gives ${account} ${typeof names}: list its services and caller roles, e.g. ${account}: ["hotel.payments"].`);
    }
    return names.map((pattern: unknown) => {
      if (typeof pattern !== 'string') {
        throw new MeshError('INVALID_OPTIONS', `The accounts mapping of ${account} lists ${JSON.stringify(pattern)}: list service and caller role names as strings, e.g. ${account}: ["hotel.payments"].`);
      }
      assertSubject(pattern, `the accounts mapping of ${account}`, true);
      return { account, pattern: pattern as string };
    });
  });
}

/**
 * The accounts with the exports and imports that the granted cross-account calls and the
 * cross-account events need, and nothing more: a service export per endpoint a principal of
 * another account may call (to those accounts only), a stream export per emitted subject an `@On`
 * of another account overlaps. Sorted, so the output is stable.
 */
export function linkAccounts(
  accountOf: ReadonlyMap<string, string>,
  services: readonly ServiceDescription[],
  matrix: readonly MatrixRow[],
): AclAccount[] {
  const exports = new Map<string, Map<string, Set<string>>>();
  const imports = new Map<string, Map<string, AccountImport>>();
  const link = (kind: AccountExport['kind'], from: string, to: string, subject: string): void => {
    if (from === to) return;
    const key = `${kind} ${subject}`;
    const out = getOr(exports, from, () => new Map<string, Set<string>>());
    getOr(out, key, () => new Set<string>()).add(to);
    getOr(imports, to, () => new Map<string, AccountImport>()).set(`${key} ${from}`, { kind, account: from, subject });
  };
  for (const row of matrix) for (const caller of row.callers) link('service', accountOf.get(row.service)!, accountOf.get(caller)!, row.subject);
  for (const emitter of services) {
    for (const e of emitter.emits) {
      for (const listener of services) {
        if (listener.subscriptions.some((s) => subjectsOverlap(e.subject, s.pattern))) link('stream', accountOf.get(emitter.name)!, accountOf.get(listener.name)!, e.subject);
      }
    }
  }
  const names = [...new Set(accountOf.values())].sort(compare);
  return names.map((name) => ({
    name,
    users: [...accountOf].filter(([, a]) => a === name).map(([u]) => u).sort(compare),
    exports: [...(exports.get(name) ?? new Map<string, Set<string>>())]
      .map(([key, to]) => ({ kind: key.slice(0, key.indexOf(' ')) as AccountExport['kind'], subject: key.slice(key.indexOf(' ') + 1), accounts: [...to].sort(compare) }))
      .sort((a, b) => compare(a.kind, b.kind) || compare(a.subject, b.subject)),
    imports: [...(imports.get(name)?.values() ?? [])].sort((a, b) => compare(a.kind, b.kind) || compare(a.subject, b.subject) || compare(a.account, b.account)),
    jetstream: services.some((s) => accountOf.get(s.name) === name && s.subscriptions.some((sub) => sub.durable !== undefined)),
  }));
}

function getOr<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}
