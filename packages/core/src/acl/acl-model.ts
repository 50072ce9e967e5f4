/** An outside client (a front end, a job) that may call a listed set of endpoints and nothing else. */
export interface CallerRole {
  /** The role's user name, e.g. `web`; not the name of a service. */
  readonly name: string;
  /** Endpoint subjects (or patterns) it may request; each still needs the callee's `allow`. */
  readonly calls: readonly string[];
}

/** What one NATS user may do, as nats-server permissions; every list is sorted and without duplicates. */
export interface AclPermissions {
  /** Subjects it may publish to (requests and events); replies go through `allow_responses`. */
  readonly publish: readonly string[];
  /** Subjects it may subscribe to; `"subject queue"` entries allow that queue group only. */
  readonly subscribe: readonly string[];
}

/** One generated NATS user: a service, or a caller role. */
export interface AclUser extends AclPermissions {
  readonly name: string;
  readonly kind: 'service' | 'caller';
  /** The `inboxPrefix` its connection must use (see {@link inboxPrefixOf}). */
  readonly inboxPrefix: string;
  /** The user's nkey public key (`U…`). */
  readonly nkey: string;
}

/** One endpoint and who may call it: a row of the mesh's authorization matrix. */
export interface MatrixRow {
  readonly subject: string;
  readonly service: string;
  readonly endpoint: string;
  /** The endpoint's `allow`, or undefined when every declared caller may call it. */
  readonly allow: readonly string[] | undefined;
  /** Services and caller roles that declare the call and are allowed, sorted. */
  readonly callers: readonly string[];
}

/**
 * A declared call the generated permissions do not grant as written: `not-allowed` when the
 * callee's `allow` leaves the caller out (a `--check` failure), `unknown` when no endpoint in the
 * model matches (granted as declared, since it may be served outside the model), `overreach` for
 * an `emits`, `@On` or `calls` subject that would reach into another service or NATS's own
 * subjects (not granted).
 */
export interface AclProblem {
  readonly kind: 'not-allowed' | 'unknown' | 'overreach';
  readonly caller: string;
  /** The `calls` entry as declared. */
  readonly call: string;
  /** For `not-allowed`: the endpoint subject that refuses the caller. */
  readonly subject?: string;
  readonly message: string;
}

/** The result of {@link generateAcl}. */
export interface Acl {
  /** One user per service and per caller role, sorted by name. */
  readonly users: readonly AclUser[];
  /** Every endpoint of the model with its callers, sorted by subject. */
  readonly matrix: readonly MatrixRow[];
  readonly problems: readonly AclProblem[];
  /** The nkey seed (`SU…`) of each user, by name: secret, store with 0600 permissions, never print. */
  readonly seeds: Readonly<Record<string, string>>;
}
