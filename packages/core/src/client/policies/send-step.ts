import type { MsgHdrs } from 'nats';
import type { Step } from '../../middleware/compose';
import type { CallContext } from '../../middleware/call-context';
import { DEADLINE_HEADER, TIMEOUT_HEADER } from '../../runtime/wire-headers';
import { withDeadline } from '../request-options';

/** Sends one request and resolves with the decoded reply (the client's muxed requester). */
export type Send = (subject: string, payload: Uint8Array, timeout: number, headers: MsgHdrs | undefined, ctx?: CallContext) => Promise<unknown>;

/**
 * The innermost step of a call without policies: sends within what is left of the call's
 * deadline. Only an explicit timeout travels in the headers: a handler assumes its own default otherwise.
 */
export function plainSendStep(send: Send): Step<CallContext> {
  return (ctx) => {
    const timeout = Math.max(1, ctx.deadline - Date.now());
    const hdrs = ctx.options.timeout === undefined ? ctx.headersIfAny : withDeadline(ctx.headers, timeout);
    return send(ctx.subject, ctx.payload, timeout, hdrs, ctx);
  };
}

/**
 * The innermost step of a call with policies: one attempt, to the instance the balancer picked
 * or the queue subject, bounded by the retry policy's `attemptTimeout` and the call's deadline.
 */
export function attemptSendStep(send: Send): Step<CallContext> {
  return (ctx) => {
    const now = Date.now();
    const remaining = Math.max(1, ctx.deadline - now);
    const attemptTimeout = ctx.retry?.attemptTimeout;
    const timeout = attemptTimeout === undefined ? remaining : Math.max(1, Math.min(remaining, attemptTimeout));
    // Every attempt states its own deadline, so a server drops an attempt the caller gave up on.
    const hdrs = ctx.headers;
    hdrs.set(TIMEOUT_HEADER, String(timeout));
    hdrs.set(DEADLINE_HEADER, String(now + timeout));
    return send(ctx.target?.subject ?? ctx.subject, ctx.payload, timeout, hdrs, ctx);
  };
}
