import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type NatsError, type Subscription } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { toMeshError } from '../errors/to-mesh-error';
import { DeadlineQueue, type Expirable, type Lane } from './deadline-queue';
import { readReply } from './reply-reader';

interface Pending extends Expirable {
  readonly token: string;
  readonly subject: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: MeshError) => void;
  lane?: Lane<Pending>;
}

// One executor for every request: it hands resolve/reject over through `captured`, so a
// request allocates no closure of its own (the executor runs synchronously in `new Promise`).
const captured: { resolve: (value: unknown) => void; reject: (err: MeshError) => void } = { resolve: () => undefined, reject: () => undefined };
function capture(resolve: (value: unknown) => void, reject: (err: MeshError) => void): void {
  captured.resolve = resolve;
  captured.reject = reject;
}

/**
 * Request/reply over one wildcard reply subscription per connection, with its own
 * correlation ids and one timer for all deadlines. nats.js's `request` makes a
 * stack-trace Error and a timer per request; this makes neither on the success path.
 */
export class MuxRequester {
  private readonly pending = new Map<string, Pending>();
  private readonly deadlines = new DeadlineQueue<Pending>((p) => this.expire(p));
  private readonly prefix: string;
  private readonly sub: Subscription;
  private seq = 0;
  private closed = false;
  /** Why requests fail once closed: the server's refusal of the reply subscription, else UNAVAILABLE. */
  private closedBy: MeshError | undefined;

  constructor(private readonly nc: NatsConnection) {
    // Honour the connection's inboxPrefix so permissions written for it keep working.
    const inboxPrefix = (nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix;
    this.prefix = `${createInbox(inboxPrefix)}.`;
    this.sub = nc.subscribe(`${this.prefix}*`, { callback: (err, msg) => this.onReply(err, msg) });
  }

  /** Sends `data` to `subject` and resolves with the decoded reply, or rejects with a MeshError. */
  request(subject: string, data: Uint8Array, timeout: number, headers: MsgHdrs | undefined): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closedBy ?? new MeshError('UNAVAILABLE', 'The client is closed: create a new one.'));
    const token = (this.seq++).toString(36);
    const promise = new Promise<unknown>(capture);
    const p: Pending = { token, subject, deadline: Date.now() + timeout, settled: false, resolve: captured.resolve, reject: captured.reject };
    try {
      this.nc.publish(subject, data, { reply: this.prefix + token, headers });
    } catch (err) {
      p.reject(toMeshError(err, `Could not publish the request on "${subject}"`));
      return promise;
    }
    this.pending.set(token, p);
    p.lane = this.deadlines.track(p, timeout);
    return promise;
  }

  /**
   * Fails the oldest request in flight to `subject` with `error`, for a publish the server refused
   * (it says which subject, not which message; it answers violations in the order of the publishes).
   *
   * @returns true when a request was waiting on that subject.
   */
  refuse(subject: string, error: MeshError): boolean {
    for (const p of this.pending.values()) {
      if (p.subject !== subject) continue;
      this.pending.delete(p.token);
      this.deadlines.settle(p, p.lane!);
      p.reject(error);
      return true;
    }
    return false;
  }

  /**
   * Resolves `true` once no request is in flight, or `false` at `until` (epoch ms). Polls: it runs
   * only while an app stops, so the reply path keeps no check for it.
   */
  async settled(until: number): Promise<boolean> {
    while (this.pending.size > 0) {
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /**
   * The server refused the reply subscription `subject` (the user may not read that inbox): every
   * request in flight, and every later one, fails with `error` instead of waiting for its timeout.
   *
   * @returns true when `subject` was this requester's reply subscription.
   */
  refuseInbox(subject: string, error: MeshError): boolean {
    if (subject !== `${this.prefix}*`) return false;
    this.closedBy = error;
    this.closed = true;
    this.deadlines.clear();
    for (const p of this.pending.values()) {
      p.settled = true;
      p.reject(error);
    }
    this.pending.clear();
    return true;
  }

  /** Rejects everything in flight with `UNAVAILABLE` and stops the reply subscription. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sub.unsubscribe();
    this.deadlines.clear();
    for (const p of this.pending.values()) {
      p.settled = true;
      p.reject(new MeshError('UNAVAILABLE', `The client closed before "${p.subject}" replied.`));
    }
    this.pending.clear();
  }

  private onReply(err: NatsError | null, msg: Msg): void {
    if (err) return; // the subscription only errors when the connection closes; close() rejects the rest
    const token = msg.subject.substring(this.prefix.length);
    const p = this.pending.get(token);
    if (p === undefined) return; // late reply after a timeout
    this.pending.delete(token);
    this.deadlines.settle(p, p.lane!);
    let value: unknown;
    try {
      value = readReply(msg, p.subject);
    } catch (e) {
      p.reject(e as MeshError);
      return;
    }
    p.resolve(value);
  }

  private expire(p: Pending): void {
    this.pending.delete(p.token);
    p.reject(new MeshError('TIMEOUT', `No reply on "${p.subject}" within the timeout: raise the timeout or check the service.`));
  }
}
