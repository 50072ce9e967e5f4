import { createUser, fromSeed } from 'nkeys.js';
import type { ServiceDescription } from '../app/describe';
import { MeshError } from '../errors/mesh-error';
import { assertSubject } from '../scanner/subject';
import { compare, grantCalls } from './authorization-matrix';
import type { Acl, AclProblem, AclUser, CallerRole } from './acl-model';
import { assignAccounts, linkAccounts, type AccountMapping } from './accounts';
import { inboxPrefixOf } from './inbox-prefix';
import { overreachOf } from './overreach';
import { callerPermissions, servicePermissions } from './service-permissions';

/** Options of {@link generateAcl}. */
export interface GenerateAclOptions {
  /** Outside clients and the endpoints each may call. */
  readonly callers?: readonly CallerRole[];
  /**
   * Seeds (`SU…`) kept from an earlier run, by user name: reused, so the output for unchanged
   * services is byte-identical. Users without one get a new key pair.
   */
  readonly seeds?: Readonly<Record<string, string>>;
  /**
   * Accounts mode: account name → the services and caller roles (names, or patterns such as
   * `hotel.>`) in it; wins over `@Service({ account })`. With a mapping or any service `account`,
   * the users are grouped into NATS accounts ({@link Acl.accounts}), unnamed ones into `natsmesh`.
   */
  readonly accounts?: AccountMapping;
}

/**
 * Least-privilege NATS permissions from the service model (`app.describe()`, `loadDescriptions`
 * or discovery): one user per service and per caller role, with the matrix of who may call which
 * endpoint and the declared calls the callees' `allow` refuses. Deterministic: the same model and
 * seeds give the same users in the same order.
 *
 * @example
 * const acl = generateAcl(app.describe(), { callers: [{ name: 'web', calls: ['hotel.booking.save'] }] });
 * const conf = renderServerAuthorization(acl);   // include it in nats-server.conf
 * @throws MeshError `INVALID_OPTIONS` for two services or roles of one name (or of one inbox
 * prefix, `shop.order` and `shop_order`), two users of one key, a role without a name, a seed
 * that is not a user seed, a bad account name or a user two accounts claim; `INVALID_SUBJECT`
 * for a role's call or an accounts mapping entry that is no subject.
 */
export function generateAcl(descriptions: readonly ServiceDescription[], options: GenerateAclOptions = {}): Acl {
  const callers = options.callers ?? [];
  const names = new Set<string>();
  for (const name of [...descriptions.map((d) => d.name), ...callers.map((c) => c.name)]) {
    if (typeof name !== 'string' || name.length === 0) throw new MeshError('INVALID_OPTIONS', 'generateAcl got a caller role without a name: name each role, e.g. { name: "web", calls: [...] }.');
    if (names.has(name)) throw new MeshError('INVALID_OPTIONS', `generateAcl got two services or caller roles named "${name}": each user needs its own name.`);
    names.add(name);
  }
  for (const c of callers) for (const call of c.calls) assertSubject(call, `caller role ${c.name}`, true);
  const services = [...descriptions].sort((a, b) => compare(a.name, b.name));
  const { matrix, grants, problems: callProblems } = grantCalls(services, [...services, ...callers]);
  const endpoints = services.flatMap((s) => s.endpoints.map((e) => ({ service: s.name, subject: e.subject })));
  const problems: AclProblem[] = [...callProblems];
  const within = (owner: string, subject: string, what: string, fix: string): boolean => {
    const why = overreachOf(subject, owner, endpoints);
    if (why === undefined) return true;
    problems.push({ kind: 'overreach', caller: owner, call: subject, message: `${owner} ${what} "${subject}", which ${why}: not granted. ${fix}` });
    return false;
  };
  for (const [name, granted] of grants) {
    grants.set(name, granted.filter((g) => endpoints.some((e) => e.subject === g) || within(name, g, 'declares a call to', 'Call endpoints by their subjects.')));
  }
  const checked = services.map((s) => ({
    ...s,
    emits: s.emits.filter((e) => within(s.name, e.subject, 'emits', 'Publish events under subjects of their own, outside the endpoint subjects (the hotel: app.<service>.<event>).')),
    subscriptions: s.subscriptions.filter(
      (e) => e.durable !== undefined || within(s.name, e.pattern, 'subscribes to', "Narrow the @On pattern so it matches events only, not another service's requests."),
    ),
  }));
  const accountOf = assignAccounts([...services, ...callers], options.accounts, problems);
  const seeds: Record<string, string> = {};
  const user = (name: string, kind: AclUser['kind'], permissions: { publish: readonly string[]; subscribe: readonly string[] }, inboxPrefix: string): AclUser => {
    seeds[name] = options.seeds?.[name] ?? new TextDecoder().decode(createUser().getSeed());
    const account = accountOf?.get(name);
    return { name, kind, inboxPrefix, nkey: publicKeyOf(name, seeds[name]), ...permissions, ...(account === undefined ? {} : { account }) };
  };
  const users = [
    ...checked.map((s) => {
      const inbox = inboxPrefixOf(s.name);
      return user(s.name, 'service', servicePermissions(s, grants.get(s.name) ?? [], inbox), inbox);
    }),
    ...callers.map((c) => {
      const inbox = inboxPrefixOf(c.name);
      return user(c.name, 'caller', callerPermissions(grants.get(c.name) ?? [], inbox), inbox);
    }),
  ].sort((a, b) => compare(a.name, b.name));
  refuseShared(users, (u) => u.inboxPrefix, (a, b, v) => `"${a}" and "${b}" would share the inbox prefix ${v}, so each could read the other's replies: rename one.`);
  refuseShared(users, (u) => u.nkey, (a, b) => `"${a}" and "${b}" have the same nkey (a seed file copied?): delete one of their seed files to get a new key.`);
  problems.sort((a, b) => compare(a.caller, b.caller) || compare(a.subject ?? a.call, b.subject ?? b.call));
  const accounts = accountOf === undefined ? [] : linkAccounts(accountOf, checked, matrix);
  return { users, matrix, problems, accounts, seeds };
}

// Two users must never share what tells them apart to the server (key) or guards their replies (inbox).
function refuseShared(users: readonly AclUser[], key: (u: AclUser) => string, message: (a: string, b: string, value: string) => string): void {
  const seen = new Map<string, string>();
  for (const u of users) {
    const v = key(u);
    const other = seen.get(v);
    if (other !== undefined) throw new MeshError('INVALID_OPTIONS', `generateAcl: ${message(other, u.name, v)}`);
    seen.set(v, u.name);
  }
}

function publicKeyOf(name: string, seed: string): string {
  try {
    const kp = fromSeed(new TextEncoder().encode(seed.trim()));
    const key = kp.getPublicKey();
    if (!key.startsWith('U')) throw new Error('not a user key');
    return key;
  } catch (err) {
    throw new MeshError('INVALID_OPTIONS', `The nkey seed of "${name}" is not a user seed (SU…): delete it to get a new one, or restore the right file.`, undefined, { cause: err });
  }
}
