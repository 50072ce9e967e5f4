import { MeshError } from '../errors/mesh-error';
import { subjectCovers } from '../scanner/subject-match';
import type { SubscriptionDefinition } from '../scanner/service-definition';
import { assertNoRequestSubjects, minimalSubjects, type RequestSubject } from './request-subjects';
import type { JetStreamOptions, StreamOptions } from './stream-options';

/** A stream the app needs: created at start when `managed` and missing, checked otherwise. */
export interface StreamPlan {
  readonly name: string;
  /** Created when missing (configured in createApp or derived); false: named by `stream` only, must exist. */
  readonly managed: boolean;
  /** Derived by natsmesh (`NATSMESH_<first token>`): its subjects are exactly the durable patterns, and an existing one is brought to them. */
  readonly derived: boolean;
  readonly options: StreamOptions & { readonly subjects: readonly string[] };
}

/** One durable consumer, with every default applied. */
export interface ConsumerPlan {
  readonly stream: string;
  readonly durable: string;
  readonly filter: string;
  readonly maxDeliver: number;
  readonly backoff: readonly number[];
  readonly ackWait: number;
  readonly maxAckPending: number;
  readonly deadLetter: string;
}

/** A durable `@On` and where it was declared, for messages. */
export interface DurableSubscription {
  readonly definition: SubscriptionDefinition;
  readonly where: string;
}

/** Deliveries of a failing event before it is dead-lettered. */
export const DEFAULT_MAX_DELIVER = 5;
/** Ms before the next delivery after the n-th failure; the last entry repeats. */
export const DEFAULT_BACKOFF: readonly number[] = [1000, 5000, 15000];
/** Ms a durable handler may run before the server delivers its event again. */
export const DEFAULT_ACK_WAIT = 30_000;
/** Events in flight per consumer, over all instances. */
export const DEFAULT_MAX_ACK_PENDING = 1000;
/** How long a derived stream keeps events: 7 days, in ms. */
export const DEFAULT_MAX_AGE = 7 * 24 * 3600 * 1000;
/** Prefix of the default dead-letter subjects: `$NATSMESH.DLQ.<stream>.<durable>`. */
export const DEAD_LETTER_PREFIX = '$NATSMESH.DLQ';

const NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Decides, at createApp, which streams and consumers the durable subscriptions need. A derived
 * stream `NATSMESH_<first token>` stores exactly the durable patterns of that first token (patterns
 * that overlap must share a stream: JetStream refuses two streams with overlapping subjects).
 *
 * @param endpoints the request subjects the app answers: no stream may store one of them.
 * @throws MeshError `INVALID_OPTIONS` for a bad name or limit, a pattern no stream can hold, a durable name used twice on one stream, or a stream that would store a request subject.
 */
export function planDurables(
  subs: readonly DurableSubscription[],
  options: JetStreamOptions = {},
  endpoints: readonly RequestSubject[] = [],
): { streams: StreamPlan[]; consumers: ConsumerPlan[] } {
  const configured = new Map<string, StreamOptions>();
  for (const s of options.streams ?? []) {
    if (!NAME.test(s.name)) throw invalid(`createApp jetstream.streams has a stream named "${s.name}": use letters, digits, "_" and "-" only.`);
    checkLimits(s, `stream ${s.name}`);
    assertNoRequestSubjects(s.name, s.subjects ?? [], endpoints, `Narrow the subjects of stream ${s.name} in createApp({ jetstream: { streams } }).`);
    configured.set(s.name, s);
  }
  const streams = new Map<string, { managed: boolean; derived: boolean; options: StreamOptions; subjects: string[]; users: string[] }>();
  for (const s of configured.values()) streams.set(s.name, { managed: true, derived: false, options: s, subjects: [...(s.subjects ?? [])], users: [] });

  const consumers: ConsumerPlan[] = [];
  const seen = new Map<string, string>();
  for (const { definition: d, where } of subs) {
    const durable = d.durable!;
    const o = d.durableOptions ?? {};
    if (!NAME.test(durable)) throw invalid(`${where} has durable "${durable}": a consumer name takes letters, digits, "_" and "-" only.`);
    let stream = o.stream;
    if (stream !== undefined) {
      if (!NAME.test(stream)) throw invalid(`${where} has stream "${stream}": a stream name takes letters, digits, "_" and "-" only.`);
      if (!streams.has(stream)) streams.set(stream, { managed: false, derived: false, options: { name: stream }, subjects: [], users: [] });
    } else {
      stream = [...configured.values()].find((s) => (s.subjects ?? []).some((f) => subjectCovers(f, d.pattern)))?.name;
      if (stream === undefined) {
        const first = d.pattern.split('.')[0];
        if (first === '*' || first === '>') {
          throw invalid(`${where}: "${d.pattern}" starts with a wildcard, so natsmesh cannot derive a stream for it; name one with { stream } and configure it in createApp({ jetstream: { streams } }).`);
        }
        stream = `NATSMESH_${first.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        let plan = streams.get(stream);
        if (!plan) streams.set(stream, (plan = { managed: true, derived: true, options: { name: stream }, subjects: [], users: [] }));
        plan.subjects.push(d.pattern);
        plan.users.push(where);
      }
    }
    const plan = streams.get(stream)!;
    if (plan.managed && configured.has(stream) && !plan.subjects.some((f) => subjectCovers(f, d.pattern))) {
      throw invalid(`${where}: stream ${stream} stores ${JSON.stringify(plan.subjects)}, which do not cover "${d.pattern}"; add the pattern to its subjects.`);
    }
    const key = `${stream}\u0000${durable}`;
    const other = seen.get(key);
    if (other) throw invalid(`${other} and ${where} both use durable "${durable}" on stream ${stream}: give each subscription its own durable name.`);
    seen.set(key, where);

    const maxDeliver = o.maxDeliver ?? DEFAULT_MAX_DELIVER;
    if (!(Number.isInteger(maxDeliver) && maxDeliver >= 1)) throw invalid(`${where} has maxDeliver ${String(maxDeliver)}: use a whole number, 1 or more.`);
    const backoff = o.backoff ?? DEFAULT_BACKOFF;
    if (backoff.length === 0 || !backoff.every((b) => Number.isFinite(b) && b >= 0)) {
      throw invalid(`${where} has backoff ${JSON.stringify(backoff)}: use a non-empty list of delays in ms.`);
    }
    const ackWait = positive(o.ackWait ?? DEFAULT_ACK_WAIT, 'ackWait', where);
    const maxAckPending = positive(o.maxAckPending ?? DEFAULT_MAX_ACK_PENDING, 'maxAckPending', where);
    const deadLetter = o.deadLetter ?? `${DEAD_LETTER_PREFIX}.${stream}.${durable}`;
    if (!/^[^\s.*>]+(?:\.[^\s.*>]+)*$/.test(deadLetter)) throw invalid(`${where} has deadLetter "${deadLetter}": use a subject without wildcards or white space.`);
    consumers.push({ stream, durable, filter: d.pattern, maxDeliver, backoff, ackWait, maxAckPending: Math.floor(maxAckPending), deadLetter });
  }
  for (const s of streams.values()) {
    if (!s.derived) continue;
    s.subjects = minimalSubjects(s.subjects);
    assertNoRequestSubjects(s.options.name, s.subjects, endpoints, `It stores the durable patterns of ${s.users.join(', ')}: narrow the pattern (e.g. "${s.subjects[0].split('.')[0]}.events.>") or give the endpoint another subject.`);
  }
  return {
    streams: [...streams.values()].map((s) => ({ name: s.options.name, managed: s.managed, derived: s.derived, options: { ...s.options, subjects: s.subjects } })),
    consumers,
  };
}

/** How long to wait before the next delivery after delivery number `deliveryCount` (1-based) failed. */
export function retryDelay(backoff: readonly number[], deliveryCount: number): number {
  return backoff[Math.min(Math.max(deliveryCount, 1), backoff.length) - 1];
}

function checkLimits(s: StreamOptions, what: string): void {
  for (const key of ['maxAge', 'maxMsgs', 'maxBytes', 'duplicateWindow'] as const) {
    const v = s[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw invalid(`${what} has ${key} ${String(v)}: use a positive number.`);
  }
  if (s.replicas !== undefined && !(Number.isInteger(s.replicas) && s.replicas >= 1 && s.replicas <= 5)) {
    throw invalid(`${what} has replicas ${String(s.replicas)}: use 1 to 5.`);
  }
}

function positive(v: number, name: string, where: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw invalid(`${where} has ${name} ${String(v)}: use a positive number.`);
  return v;
}

function invalid(message: string): MeshError {
  return new MeshError('INVALID_OPTIONS', message);
}
