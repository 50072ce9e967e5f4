import type { KV, NatsConnection } from 'nats';
import { decodeJson, encodeJson } from '../codec/json-codec';
import type { CanaryState } from './rules-model';

/** Subject prefix of the canary events: each decision on a service's rollout is published as its {@link CanaryState} on `$NATSMESH.CANARY.<service>`. */
export const CANARY_EVENT_PREFIX = '$NATSMESH.CANARY';

/** The KV key of a service's rollout state, in the rules bucket. */
export function canaryStateKey(service: string): string {
  return `canary-state.${service}`;
}

/** Whether a rollout ended (nothing more to drive). */
export function isFinished(state: CanaryState): boolean {
  return state.phase === 'succeeded' || state.phase === 'rolled-back';
}

/** The stored state of a service's rollout; undefined when there is none or it is not a state. */
export async function readCanaryState(kv: KV, service: string): Promise<CanaryState | undefined> {
  const entry = await kv.get(canaryStateKey(service));
  if (entry === null || entry.operation !== 'PUT') return undefined;
  return canaryStateOf(entry.value, service);
}

/** The state a bucket value holds, if it is one of `service`. */
export function canaryStateOf(data: Uint8Array, service: string): CanaryState | undefined {
  try {
    const v = decodeJson(data) as Partial<CanaryState> | null;
    const ok = v?.service === service && typeof v.from === 'string' && typeof v.to === 'string' && typeof v.step === 'number' && typeof v.weight === 'number' && typeof v.phase === 'string';
    return ok ? (v as CanaryState) : undefined;
  } catch {
    return undefined;
  }
}

/** Stores a decision in `canary-state.<service>`, then publishes it on `$NATSMESH.CANARY.<service>`. */
export async function recordCanaryState(nc: NatsConnection, kv: KV, state: CanaryState): Promise<void> {
  const data = encodeJson(state);
  await kv.put(canaryStateKey(state.service), data);
  nc.publish(`${CANARY_EVENT_PREFIX}.${state.service}`, data);
}

/**
 * Stores and publishes `state` only over a stored state of the same rollout (same from → to),
 * compare-and-set on its revision: a state deleted or replaced meanwhile (`natsmesh canary start`
 * clearing a stopped rollout) is left alone. Whether it was stored.
 */
export async function recordOverOwnState(nc: NatsConnection, kv: KV, state: CanaryState): Promise<boolean> {
  const entry = await kv.get(canaryStateKey(state.service));
  if (entry === null || entry.operation !== 'PUT') return false;
  const stored = canaryStateOf(entry.value, state.service);
  if (stored === undefined || stored.from !== state.from || stored.to !== state.to) return false;
  const data = encodeJson(state);
  try {
    await kv.update(canaryStateKey(state.service), data, entry.revision);
  } catch {
    return false;
  }
  nc.publish(`${CANARY_EVENT_PREFIX}.${state.service}`, data);
  return true;
}
