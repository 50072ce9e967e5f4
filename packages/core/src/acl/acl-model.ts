/** An outside client (a front end, a job) that may call a listed set of endpoints and nothing else. */
export interface CallerRole {
  /** The role's user name, e.g. `web`; not the name of a service. */
  readonly name: string;
  /** Endpoint subjects (or patterns) it may request; each still needs the callee's `allow`. */
  readonly calls: readonly string[];
  /** Its NATS account in accounts mode (an `accounts` mapping wins); unset: the default account. */
  readonly account?: string;
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
  /** Its NATS account in accounts mode ({@link Acl.accounts}); undefined in the one-account output. */
  readonly account?: string;
}

/**
 * What an account offers other accounts (accounts mode): a `service` export of an endpoint subject
 * (requests in, replies back), or a `stream` export of an event subject, to the listed accounts only.
 */
export interface AccountExport {
  readonly kind: 'service' | 'stream';
  readonly subject: string;
  /** The accounts that may import it, sorted. */
  readonly accounts: readonly string[];
}

/** What an account takes from another (accounts mode): the only way a request or event crosses accounts. */
export interface AccountImport {
  readonly kind: 'service' | 'stream';
  /** The exporting account. */
  readonly account: string;
  readonly subject: string;
}

/**
 * A NATS account of the accounts mode: a team or bounded context, with its users and the exports
 * and imports the declared cross-account calls (`calls` + `allow`) and events (`emits` + `@On`) need.
 */
export interface AclAccount {
  /** `[A-Za-z0-9_-]+`; the default account is {@link DEFAULT_ACCOUNT}. */
  readonly name: string;
  /** Its users' names, sorted. */
  readonly users: readonly string[];
  readonly exports: readonly AccountExport[];
  readonly imports: readonly AccountImport[];
  /** Whether a service in it has durable `@On` (the account then needs JetStream). */
  readonly jetstream: boolean;
}

/** The account of services and roles no `account` option or mapping names, in accounts mode. */
export const DEFAULT_ACCOUNT = 'natsmesh';

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
  /**
   * Accounts mode: the accounts, sorted by name, when any service has `@Service({ account })` or
   * `generateAcl` got an `accounts` mapping; empty otherwise (every user in one account).
   */
  readonly accounts: readonly AclAccount[];
  /** The nkey seed (`SU…`) of each user, by name: secret, store with 0600 permissions, never print. */
  readonly seeds: Readonly<Record<string, string>>;
}
