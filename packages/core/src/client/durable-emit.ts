import { nuid, type JetStreamClient } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { toMeshError } from '../errors/to-mesh-error';
import { checkMillis, describeValue } from '../options/check-millis';
import { encodePayload } from './encode-payload';
import { toMsgHdrs, type HeadersInit } from './headers-init';

/** Options of one emitted event. */
export interface EmitOptions {
  headers?: HeadersInit;
  /** `false` or absent: plain NATS publish, at most once. */
  durable?: false;
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
  /** Milliseconds to wait for the stream's ack; default the client's timeout. */
  timeout?: number;
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

/**
 * Publishes one event through JetStream and resolves with the stream's ack.
 *
 * @throws MeshError `INVALID_OPTIONS` for a timeout outside 1 … 2^31-1 ms or an id that is not a
 * non-empty string without CR/LF, `BAD_REQUEST` for a header or payload that cannot be sent,
 * `JETSTREAM_UNAVAILABLE` when no stream stores the subject, `TIMEOUT`.
 */
export async function publishDurable(js: JetStreamClient, subject: string, data: unknown, options: DurableEmitOptions, defaultTimeout: number): Promise<EmitAck> {
  const timeout = options.timeout === undefined ? defaultTimeout : checkMillis(options.timeout, 'emit option timeout');
  const headers = options.headers === undefined ? undefined : toMsgHdrs(options.headers);
  if (options.id !== undefined && !(typeof options.id === 'string' && options.id.length > 0 && !/[\r\n]/.test(options.id))) {
    throw new MeshError('INVALID_OPTIONS', `emit option id is ${describeValue(options.id)}: use a non-empty string without CR or LF (it becomes the Nats-Msg-Id header).`);
  }
  const id = options.id ?? nuid.next();
  const payload = encodePayload(data, 'event', subject);
  try {
    const ack = await js.publish(subject, payload, { msgID: id, headers, timeout });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate, id };
  } catch (err) {
    if ((err as { code?: unknown }).code === '503') {
      throw new MeshError(
        'JETSTREAM_UNAVAILABLE',
        `No JetStream stream stores "${subject}" (or JetStream is off): start the app with the durable @On first (it creates the stream), or create a stream over the subject.`,
        undefined,
        { cause: err },
      );
    }
    throw toMeshError(err, `Cannot emit the durable event on "${subject}": ${(err as Error).message}`);
  }
}
