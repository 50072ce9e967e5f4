import { MeshError } from '../../errors/mesh-error';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';
import type { CallPolicies } from '../call-policies';
import type { PolicyObserver } from '../../metrics/client-metrics';

/**
 * The client's own rate limit per subject (`resilience.throttle`), per attempt: present only
 * when configured.
 *
 * @throws MeshError `RATE_LIMITED` (with `retryAfterMs`) when the subject's tokens are used up; nothing is sent.
 */
export class ThrottleMiddleware implements Middleware {
  readonly name = 'throttle';

  constructor(
    private readonly policies: CallPolicies,
    private readonly observer?: PolicyObserver,
  ) {}

  call(ctx: CallContext, next: Next): unknown {
    const subject = ctx.subject;
    const wait = this.policies.throttleOf(subject)?.take() ?? 0;
    if (wait > 0) {
      this.observer?.throttled(subject);
      throw new MeshError('RATE_LIMITED', `This client's rate limit for "${subject}" is used up: the call was not sent; retry in ${wait} ms.`, { subject, retryAfterMs: wait });
    }
    return next();
  }
}
