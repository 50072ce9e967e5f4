import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeService, generateAcl, renderServerAuthorization, scanService } from '@natsmesh/core';
import { BenchService } from './services/natsmesh.service';
import { EVENT_SUBJECT, REQUEST_SUBJECT } from './workload';

/** The environment variable that hands the generated credentials to the `natsmesh-acl` processes. */
export const BENCH_ACL_ENV = 'NATSMESH_BENCH_ACL';

/** What the `natsmesh-acl` service and caller connect with. */
export interface BenchAclCredentials {
  readonly serviceSeed: string;
  readonly callerSeed: string;
  readonly callerInbox: string;
}

const CALLER = 'bench-caller';

/**
 * Writes the bench server's configuration into `dir`: the permissions `natsmesh acl` generates
 * for the bench service and a caller role (which also publishes the bench event: a caller role
 * grants endpoints only), plus a user without permissions that every other contender is mapped
 * to (`no_auth_user`), so the raw baseline and the peers run as before. Returns the file's path
 * and the credentials of the generated users.
 */
export function writeBenchAclConfig(dir: string): { file: string; credentials: BenchAclCredentials } {
  const acl = generateAcl([describeService(scanService(BenchService))], { callers: [{ name: CALLER, calls: [REQUEST_SUBJECT] }] });
  const users = acl.users.map((u) => (u.name === CALLER ? { ...u, publish: [...u.publish, EVENT_SUBJECT].sort() } : u));
  const authorization = renderServerAuthorization({ ...acl, users });
  const closing = '\n  ]\n}\n';
  if (!authorization.endsWith(closing)) throw new Error('unexpected authorization block from renderServerAuthorization');
  const text = `${authorization.slice(0, -closing.length)}\n    { user: "bench", password: "bench" }${closing}no_auth_user: "bench"\n`;
  const file = join(dir, 'bench-nats.conf');
  writeFileSync(file, text);
  const caller = users.find((u) => u.name === CALLER)!;
  return { file, credentials: { serviceSeed: acl.seeds.bench, callerSeed: acl.seeds[CALLER], callerInbox: caller.inboxPrefix } };
}

/** The credentials the runner put in the environment. */
export function benchAclCredentials(): BenchAclCredentials {
  const raw = process.env[BENCH_ACL_ENV];
  if (raw === undefined) throw new Error(`${BENCH_ACL_ENV} is not set: the natsmesh-acl contender runs only under the bench runner`);
  return JSON.parse(raw) as BenchAclCredentials;
}
