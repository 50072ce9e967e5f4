import { nuid, type JetStreamClient, type MsgHdrs, type PubAck } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { toMeshError } from '../errors/to-mesh-error';
import { checkMillis, describeValue } from '../options/check-millis';
import { encodePayload } from './encode-payload';
import { toMsgHdrs, type HeadersInit } from './headers-init';
import type { Middleware } from '../middleware/middleware';

/** Options of one emitted event. */
export interface EmitOptions {
  headers?: HeadersInit;
  /** `false` or absent: plain NATS publish, at most once. */
  durable?: false;
  /** `emit` middleware of this event alone, inside the client's (objects only: nothing builds classes per emit). */
  middleware?: readonly Middleware[];
}

/** Options of an event published through JetStream (`emit(subject, data, { durable: true })`). */
export interface DurableEmitOptions {
  /** Store the event in the JetStream stream that covers the subject; resolves with its ack. */
  durable: true;
  /**
   * Message id (`Nats-Msg-Id`): a second event with the same id within the stream's duplicate
   * window is dropped. Default a fresh NUID, so give one to make retries safe.
   */
  id?: string;
  headers?: HeadersInit;
  /** Milliseconds to wait for the stream's ack (and for the emit's `emit` middleware, when it has some); default the client's timeout. */
  timeout?: number;
  /** `emit` middleware of this event alone, inside the client's (objects only: nothing builds classes per emit). */
  middleware?: readonly Middleware[];
}

/** The stream's ack of a durable event. */
export interface EmitAck {
  readonly stream: string;
  readonly seq: number;
  /** True when the stream already had an event with this id and dropped this one. */
  readonly duplicate: boolean;
  /** The `Nats-Msg-Id` sent. */
  readonly id: string;
}

/** A durable event checked and encoded, ready to publish. */
export interface DurableEvent {
  readonly payload: Uint8Array;
  readonly headers: MsgHdrs | undefined;
  /** Milliseconds to wait for the ack. */
  readonly timeout: number;
  /** The `Nats-Msg-Id`. */
  readonly id: string;
}

/**
 * Publishes one event through JetStream and resolves with the stream's ack.
 *
 * @throws MeshError as {@link prepareDurable} and {@link sendDurable} do.
 */
export async function publishDurable(js: JetStreamClient, subject: string, data: unknown, options: DurableEmitOptions, defaultTimeout: number): Promise<EmitAck> {
  const event = prepareDurable(subject, data, options, defaultTimeout);
  return sendDurable(js, subject, event, event.headers);
}

/**
 * Checks a durable event's options and encodes it, before anything is sent.
 *
 * @throws MeshError `INVALID_OPTIONS` for a timeout outside 1 … 2^31-1 ms or an id that is not a
 * non-empty string without CR/LF, `BAD_REQUEST` for a header or payload that cannot be sent, `PAYLOAD_TOO_LARGE`.
 */
export function prepareDurable(subject: string, data: unknown, options: DurableEmitOptions, defaultTimeout: number): DurableEvent {
  const timeout = options.timeout === undefined ? defaultTimeout : checkMillis(options.timeout, 'emit option timeout');
  const headers = options.headers === undefined ? undefined : toMsgHdrs(options.headers);
  if (options.id !== undefined && !(typeof options.id === 'string' && options.id.length > 0 && !/[\r\n]/.test(options.id))) {
    throw new MeshError('INVALID_OPTIONS', `emit option id is ${describeValue(options.id)}: use a non-empty string without CR or LF (it becomes the Nats-Msg-Id header).`);
  }
  const id = options.id ?? nuid.next();
  const payload = encodePayload(data, 'event', subject);
  return { payload, headers, timeout, id };
}

/**
 * Publishes a prepared durable event with `headers` and resolves with the stream's ack.
 *
 * @throws MeshError `JETSTREAM_UNAVAILABLE` when no stream stores the subject, `TIMEOUT`, `BAD_REQUEST`.
 */
export async function sendDurable(js: JetStreamClient, subject: string, event: DurableEvent, headers: MsgHdrs | undefined): Promise<EmitAck> {
  const { payload, timeout, id } = event;
  let ack: PubAck;
  try {
    ack = await js.publish(subject, payload, { msgID: id, headers, timeout });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'BAD_JSON') throw notAnAck(subject, err);
    if (code === 'TIMEOUT') {
      throw new MeshError(
        'TIMEOUT',
        `No JetStream ack for the durable event on "${subject}" within ${timeout} ms: no stream may store the subject (a plain subscriber then takes the ` +
          'message and nothing answers), or JetStream is slow. Check that a durable @On pattern or a stream covers it, or raise the timeout.',
        undefined,
        { cause: err },
      );
    }
    if (code === '503') {
      throw new MeshError(
        'JETSTREAM_UNAVAILABLE',
        `No JetStream stream stores "${subject}" (or JetStream is off): start the app with the durable @On first (it creates the stream), or create a stream over the subject.`,
        undefined,
        { cause: err },
      );
    }
    throw toMeshError(err, `Cannot emit the durable event on "${subject}": ${(err as Error).message}`);
  }
  // An endpoint listening on the subject answers the publish like a request; its reply is no ack.
  if (!(typeof ack.stream === 'string' && ack.stream.length > 0 && Number.isInteger(ack.seq) && ack.seq > 0)) throw notAnAck(subject, undefined);
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true, id };
}

function notAnAck(subject: string, cause: unknown): MeshError {
  return new MeshError(
    'JETSTREAM_UNAVAILABLE',
    `The answer to the durable event on "${subject}" was not a JetStream ack: an endpoint listens on that subject and no stream stores it, ` +
      'so the endpoint took the event as a request. Emit durable events on subjects that a durable @On pattern or a stream covers, apart from endpoint subjects.',
    undefined,
    cause === undefined ? undefined : { cause },
  );
}
