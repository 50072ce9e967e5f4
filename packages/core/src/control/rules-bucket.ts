import type { KV, KvEntry, NatsConnection } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { RULES_BUCKET, ruleKey } from './rules-model';
import { RULE_KINDS, type RuleKind } from './rule-schemas';
import { checkRule } from './check-rule';
import type { StoredRule } from './live-rules';

/** The JetStream stream behind {@link RULES_BUCKET}. */
export const RULES_STREAM = `KV_${RULES_BUCKET}`;

/** What the server publishes when the bucket's stream is created: the views (re)read the bucket from its start. */
export const RULES_CREATED_ADVISORY = `$JS.EVENT.ADVISORY.STREAM.CREATED.${RULES_STREAM}`;

/** What the server publishes when the bucket's stream is deleted: the views drop their rules at once. */
export const RULES_DELETED_ADVISORY = `$JS.EVENT.ADVISORY.STREAM.DELETED.${RULES_STREAM}`;

/** Versions kept per key (`natsmesh get` can show the last few). */
export const RULES_HISTORY = 5;

const STREAM_NOT_FOUND = 10059;

/** The rule kind of a key (`route.hotel.booking` → `route`); undefined for keys that hold no rule (`canary-state.…`). */
export function kindOfKey(key: string): RuleKind | undefined {
  const dot = key.indexOf('.');
  const kind = key.slice(0, dot) as RuleKind;
  return dot > 0 && RULE_KINDS.includes(kind) ? kind : undefined;
}

/**
 * The checked rule a bucket entry holds.
 *
 * @throws MeshError `INVALID_RULE` for a value that is not JSON, not a valid rule, or stored under another key than its own.
 */
export function ruleOfEntry(kind: RuleKind, entry: KvEntry): StoredRule {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(entry.value));
  } catch {
    throw new MeshError('INVALID_RULE', `The value of ${entry.key} in bucket ${RULES_BUCKET} is not JSON: write it again with createAdmin or natsmesh ${kind}.`);
  }
  const rule = checkRule(kind, value);
  const own = ruleKey(kind as 'route', rule as never);
  if (own !== entry.key) {
    throw new MeshError('INVALID_RULE', `The ${kind} rule stored under ${entry.key} belongs under ${own}: write it again with createAdmin or natsmesh ${kind}.`);
  }
  return { key: entry.key, kind, rule: deepFreeze(rule) };
}

// The views hand the same objects to every reader (routing, faults, the canary controller): none may change them for the others.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Binds to the bucket without creating or looking it up (a reader may not create it). */
export function bindRulesBucket(nc: NatsConnection, domain: string | undefined): Promise<KV> {
  return nc.jetstream(domain === undefined ? undefined : { domain }).views.kv(RULES_BUCKET, { bindOnly: true });
}

/** Opens the bucket, creating it when missing (history {@link RULES_HISTORY}). */
export function createRulesBucket(nc: NatsConnection, domain: string | undefined): Promise<KV> {
  return nc.jetstream(domain === undefined ? undefined : { domain }).views.kv(RULES_BUCKET, { history: RULES_HISTORY });
}

/** Whether a JetStream API error says the bucket's stream does not exist. */
export function isBucketMissing(err: unknown): boolean {
  const api = (err as { api_error?: { err_code?: number } } | undefined)?.api_error;
  return api?.err_code === STREAM_NOT_FOUND || /stream not found/i.test((err as Error | undefined)?.message ?? '');
}
