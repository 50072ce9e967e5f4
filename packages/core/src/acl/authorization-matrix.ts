import type { ServiceDescription } from '../app/describe';
import { hasWildcard, subjectCovers } from '../scanner/subject-match';
import type { AclProblem, MatrixRow } from './acl-model';

/** A service or a caller role: someone who publishes the requests it declares. */
export interface Principal {
  readonly name: string;
  readonly calls: readonly string[];
}

/** The endpoints each principal may request, the matrix, and the declared calls that did not fit. */
export interface CallGrants {
  readonly matrix: MatrixRow[];
  /** By principal name: the subjects it may publish requests to, as they must appear in its permissions. */
  readonly grants: Map<string, string[]>;
  readonly problems: AclProblem[];
}

/**
 * Decides who may call what: an endpoint accepts a principal that declares a `calls` entry
 * covering its subject and that its `allow` (names or patterns) admits; no `allow` admits every
 * declared caller. A `calls` entry no endpoint of the model matches is granted as declared.
 */
export function grantCalls(services: readonly ServiceDescription[], principals: readonly Principal[]): CallGrants {
  const endpoints = services.flatMap((s) => s.endpoints.map((e) => ({ service: s.name, endpoint: e.name, subject: e.subject, allow: e.allow })));
  const grants = new Map<string, string[]>();
  const problems: AclProblem[] = [];
  const callersOf = new Map<string, Set<string>>();
  for (const p of principals) {
    const mine: string[] = [];
    for (const call of p.calls) {
      const matching = endpoints.filter((e) => subjectCovers(call, e.subject));
      if (matching.length === 0) {
        mine.push(call);
        problems.push({
          kind: 'unknown',
          caller: p.name,
          call,
          message: `${p.name} declares a call to "${call}", which no service in the model handles: granted as declared; add the service to the model to check its allow list.`,
        });
        continue;
      }
      for (const e of matching) {
        if (e.allow !== undefined && !e.allow.some((a) => subjectCovers(a, p.name))) {
          problems.push({
            kind: 'not-allowed',
            caller: p.name,
            call,
            subject: e.subject,
            message: `${p.name} declares a call to "${e.subject}", but ${e.service} allows only ${listOf(e.allow)}: add "${p.name}" to the allow of @Handle('${e.endpoint}') (or @Service('${e.service}')), or drop the call.`,
          });
          continue;
        }
        mine.push(e.subject);
        let set = callersOf.get(e.subject);
        if (!set) callersOf.set(e.subject, (set = new Set()));
        set.add(p.name);
      }
    }
    grants.set(p.name, mine);
  }
  const matrix = endpoints
    .map((e) => ({ ...e, callers: [...(callersOf.get(e.subject) ?? [])].sort(compare) }))
    .sort((a, b) => compare(a.subject, b.subject));
  return { matrix, grants, problems: problems.sort((a, b) => compare(a.caller, b.caller) || compare(a.subject ?? a.call, b.subject ?? b.call)) };
}

function listOf(allow: readonly string[]): string {
  return allow.length === 0 ? 'no caller' : allow.map((a) => (hasWildcard(a) ? `"${a}"` : a)).join(', ');
}

/** Plain code-unit order, the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
