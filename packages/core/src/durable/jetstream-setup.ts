import { AckPolicy, DeliverPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection, type StreamConfig } from 'nats';
import { MeshError } from '../errors/mesh-error';
import type { ConsumerPlan, StreamPlan } from './durable-plan';
import { subjectCovers } from '../scanner/subject-match';
import { DEFAULT_MAX_AGE } from './durable-plan';
import { assertNoRequestSubjects, type RequestSubject } from './request-subjects';
import { exactSubjects } from './exact-subjects';

const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

/**
 * Opens the JetStream API of a connection.
 *
 * @throws MeshError `JETSTREAM_UNAVAILABLE` when the server (or account) has JetStream off.
 */
export async function openJetStream(nc: NatsConnection, domain: string | undefined): Promise<JetStreamManager> {
  try {
    return await nc.jetstreamManager(domain === undefined ? undefined : { domain });
  } catch (err) {
    throw new MeshError(
      'JETSTREAM_UNAVAILABLE',
      `JetStream is not available on this NATS connection (${(err as Error).message}), but durable @On subscriptions need it: ` +
        'start nats-server with -js (or jetstream {} in its config) and enable it for the account.',
      undefined,
      { cause: err },
    );
  }
}

/**
 * Creates each managed stream that is missing and checks the ones present; then creates each
 * durable consumer that is missing. Every instance of a service runs this at start: the
 * calls are idempotent, so racing instances end up with the same stream and consumer.
 * A derived stream that exists (made by an older natsmesh over `<token>.>`, or by another app)
 * is brought to exactly the filters of its consumers plus this app's durable patterns.
 *
 * @param endpoints the request subjects the app answers: no stream may store one of them.
 * @throws MeshError `INVALID_OPTIONS` when a stream is missing, does not cover a pattern or stores a request subject, or a consumer filters other subjects.
 */
export async function ensureDurables(
  jsm: JetStreamManager,
  streams: readonly StreamPlan[],
  consumers: readonly ConsumerPlan[],
  endpoints: readonly RequestSubject[] = [],
): Promise<void> {
  for (const plan of streams) {
    let present = await streamInfo(jsm, plan.name);
    if (present === undefined) {
      if (!plan.managed) {
        throw new MeshError('INVALID_OPTIONS', `Stream ${plan.name} does not exist: create it, or configure it in createApp({ jetstream: { streams: [{ name: '${plan.name}', subjects }] } }).`);
      }
      await jsm.streams.add(streamConfigOf(plan));
      continue;
    }
    if (plan.derived) {
      const subjects = await exactSubjects(jsm, plan, present.subjects ?? []);
      if (subjects !== undefined) present = (await jsm.streams.update(plan.name, { ...present, subjects })).config;
    }
    const fix = plan.derived
      ? 'Narrow the durable patterns that use it, or delete the consumers whose filters store the endpoint.'
      : `Narrow the subjects of stream ${plan.name} (nats stream edit ${plan.name} --subjects …) or use another stream.`;
    assertNoRequestSubjects(plan.name, present.subjects ?? [], endpoints, fix);
    for (const c of consumers) {
      if (c.stream === plan.name && !(present.subjects ?? []).some((f) => subjectCovers(f, c.filter))) {
        throw new MeshError(
          'INVALID_OPTIONS',
          `Stream ${plan.name} exists with subjects ${JSON.stringify(present.subjects)}, which do not cover "${c.filter}" of durable ${c.durable}: add the subject to the stream or use another stream.`,
        );
      }
    }
  }
  for (const c of consumers) {
    const info = await consumerInfo(jsm, c.stream, c.durable);
    const config = {
      durable_name: c.durable,
      filter_subject: c.filter,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_deliver: c.maxDeliver,
      ack_wait: nanos(c.ackWait),
      max_ack_pending: c.maxAckPending,
    };
    if (info === undefined) {
      await jsm.consumers.add(c.stream, config);
    } else if (info.filter_subject !== c.filter) {
      throw new MeshError(
        'INVALID_OPTIONS',
        `Consumer ${c.durable} on stream ${c.stream} filters "${info.filter_subject ?? ''}", not "${c.filter}": pick another durable name, or delete the old consumer.`,
      );
    } else if (info.max_deliver !== c.maxDeliver || info.ack_wait !== config.ack_wait || info.max_ack_pending !== c.maxAckPending) {
      await jsm.consumers.update(c.stream, c.durable, { max_deliver: c.maxDeliver, ack_wait: config.ack_wait, max_ack_pending: c.maxAckPending });
    }
  }
}

/** The nats.js stream config of a plan, defaults applied. */
export function streamConfigOf(plan: StreamPlan): Partial<StreamConfig> & { name: string } {
  const o = plan.options;
  const config: Partial<StreamConfig> & { name: string } = {
    name: plan.name,
    subjects: [...o.subjects],
    retention: o.retention === 'interest' ? RetentionPolicy.Interest : o.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: o.storage === 'memory' ? StorageType.Memory : StorageType.File,
    max_age: nanos(o.maxAge ?? DEFAULT_MAX_AGE),
    num_replicas: o.replicas ?? 1,
  };
  if (o.maxMsgs !== undefined) config.max_msgs = o.maxMsgs;
  if (o.maxBytes !== undefined) config.max_bytes = o.maxBytes;
  if (o.duplicateWindow !== undefined) config.duplicate_window = nanos(o.duplicateWindow);
  return config;
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (err) {
    if (apiCode(err) === STREAM_NOT_FOUND) return undefined;
    throw err;
  }
}

async function consumerInfo(jsm: JetStreamManager, stream: string, durable: string) {
  try {
    return (await jsm.consumers.info(stream, durable)).config;
  } catch (err) {
    if (apiCode(err) === CONSUMER_NOT_FOUND) return undefined;
    throw err;
  }
}

function apiCode(err: unknown): number | undefined {
  return (err as { api_error?: { err_code?: number } } | undefined)?.api_error?.err_code;
}
