import { isDeepStrictEqual } from 'node:util';
import type { MsgHdrs } from 'nats';
import type { Balancer, Target } from '../balancing/balancer';
import { copyHeaders } from '../client/headers-init';
import type { Send } from '../client/policies/send-step';
import { codeOf } from '../metrics/call-metrics.middleware';
import { DEADLINE_HEADER, TIMEOUT_HEADER } from '../runtime/wire-headers';
import type { MirrorDecision } from './call-decision';
import { MIRROR_HEADER } from './mirror-header';

/** Where a copy's outcome goes: `ms` undefined when nothing was sent. */
export type MirrorRecord = (subject: string, version: string, outcome: string, ms: number | undefined) => void;

/**
 * Sends copies of calls to an instance of the mirror version (round-robin among them), with
 * header `Mesh-Mirror: 1` and what is left of the call's deadline, and records each copy's
 * outcome and latency. Nobody waits for a copy: its reply is read only to be counted (and, with
 * `compare`, set against the primary's reply once both are in).
 */
export class MirrorCopies {
  constructor(
    private readonly send: Send,
    private readonly balancer: () => Balancer | Promise<Balancer>,
    private readonly record: MirrorRecord,
  ) {}

  /**
   * Copies a call on `subject` (its payload and headers, within its `deadline`, epoch ms) whose
   * primary `primary` (a promise of the reply, or the reply) is under way.
   */
  copy(subject: string, payload: Uint8Array, given: MsgHdrs | undefined, deadline: number, mirror: MirrorDecision, primary: unknown): void {
    // A copy must never touch the call it copies: whatever goes wrong with it is counted, not thrown.
    try {
      this.start(subject, payload, given, deadline, mirror, primary);
    } catch {
      this.safeRecord(subject, mirror.to.version, 'INTERNAL', undefined);
    }
  }

  private start(subject: string, payload: Uint8Array, given: MsgHdrs | undefined, deadline: number, mirror: MirrorDecision, primary: unknown): void {
    const timeout = Math.max(1, deadline - Date.now());
    const headers = copyHeaders(given);
    headers.set(MIRROR_HEADER, '1');
    headers.set(TIMEOUT_HEADER, String(timeout));
    headers.set(DEADLINE_HEADER, String(Date.now() + timeout));
    const copy: Copy = { subject, payload, timeout, headers, mirror, primary };
    const balancer = this.balancer();
    if (balancer instanceof Promise) {
      balancer
        .then(
          (b) => this.sendTo(b, copy),
          (err: unknown) => this.record(copy.subject, mirror.to.version, codeOf(err), undefined),
        )
        .catch(() => this.safeRecord(copy.subject, mirror.to.version, 'INTERNAL', undefined));
    } else {
      this.sendTo(balancer, copy);
    }
  }

  private sendTo(balancer: Balancer, copy: Copy): void {
    const { subject, mirror } = copy;
    const version = mirror.to.version;
    const target = balancer.pick(subject, 'round-robin', undefined, undefined, mirror.to);
    if (target === undefined) {
      this.record(subject, version, 'NO_INSTANCE', undefined);
      return;
    }
    const started = performance.now();
    this.send(target.subject, copy.payload, copy.timeout, copy.headers)
      .then(
        (reply) => this.answered(balancer, target, copy, reply, performance.now() - started),
        (err: unknown) => {
          balancer.done(target, false);
          this.record(subject, version, codeOf(err), performance.now() - started);
        },
      )
      .catch(() => this.safeRecord(subject, version, 'INTERNAL', undefined));
  }

  private safeRecord(subject: string, version: string, outcome: string, ms: number | undefined): void {
    try {
      this.record(subject, version, outcome, ms);
    } catch {
      // Counting failed too: the copy is dropped without a trace rather than hurting the caller.
    }
  }

  private answered(balancer: Balancer, target: Target, copy: Copy, reply: unknown, ms: number): void {
    balancer.done(target, true);
    const { subject, mirror } = copy;
    if (!mirror.compare) {
      this.record(subject, mirror.to.version, 'OK', ms);
      return;
    }
    // A primary that failed has no reply to compare with: the copy counts as OK.
    Promise.resolve(copy.primary)
      .then(
        (value) => this.record(subject, mirror.to.version, isDeepStrictEqual(value, reply) ? 'EQUAL' : 'DIFFERENT', ms),
        () => this.record(subject, mirror.to.version, 'OK', ms),
      )
      .catch(() => undefined);
  }
}

interface Copy {
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly timeout: number;
  readonly headers: MsgHdrs;
  readonly mirror: MirrorDecision;
  readonly primary: unknown;
}
