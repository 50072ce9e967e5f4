import type { NatsConnection } from 'nats';
import { canaryStateKey, checkRule, RULES_BUCKET, type CanaryRule, type CanaryState, type MeshAdmin, type RuleWrite } from '@natsmesh/core';

/** What {@link startRollout} did. */
export interface RolloutStart extends RuleWrite {
  /** The state of the last rollout of the service, cleared so that this one starts from its first step. */
  readonly cleared?: CanaryState;
}

/**
 * Writes a canary rule so that a controller starts its rollout from the first step, even after
 * one of the same versions ended (a controller leaves a finished rollout alone) or was stopped
 * by `natsmesh canary abort`: such a last state (`canary-state.<service>`) is deleted first. A
 * rollout under way keeps its step (the rule is replaced, as `set` does).
 *
 * @throws MeshError `INVALID_RULE` before anything is deleted or written.
 */
export async function startRollout(nc: NatsConnection, admin: MeshAdmin, rule: CanaryRule): Promise<RolloutStart> {
  checkRule('canary', rule);
  const inForce = await admin.canaries.get(rule.service);
  // No bucket yet: nothing to clear (the admin creates it on the write).
  const kv = await nc.jetstream().views.kv(RULES_BUCKET, { bindOnly: true }).catch(() => undefined);
  const entry = await kv?.get(canaryStateKey(rule.service));
  const state = entry?.operation === 'PUT' ? (entry.json() as CanaryState) : undefined;
  const ended = state !== undefined && (state.phase === 'succeeded' || state.phase === 'rolled-back' || inForce === undefined);
  if (kv === undefined || entry === null || entry === undefined || !ended) return admin.canaries.set(rule);
  // The old rule goes first: with no rule, no controller can take the rollout up between the
  // two deletes and resume the old state or begin the old rule again.
  if (inForce !== undefined) await admin.canaries.delete(rule.service);
  await kv.delete(canaryStateKey(rule.service));
  return { ...(await admin.canaries.set(rule)), cleared: state };
}
