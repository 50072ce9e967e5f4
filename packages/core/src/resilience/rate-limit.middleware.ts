import type { EndpointStats } from '../discovery/endpoint-stats';
import { MeshError } from '../errors/mesh-error';
import type { HandleContext, Middleware, Next } from '../middleware/middleware';
import { refusal } from '../runtime/refusal';
import { RETRY_AFTER_HEADER } from '../runtime/wire-headers';
import type { RateLimitOptions } from './resilience-options';
import { TokenBucket } from './token-bucket';

/**
 * Built-in `handle` middleware of an endpoint with a rate limit (`@Handle({ rateLimit })` or the
 * app's default): one token bucket per endpoint and instance; a request over it is answered
 * `RATE_LIMITED` (429) with a `Mesh-Retry-After` header (ms), without running the handler.
 */
export class RateLimit implements Middleware {
  readonly name = 'rateLimit';
  private readonly bucket: TokenBucket;

  constructor(
    options: RateLimitOptions,
    private readonly stats: EndpointStats,
  ) {
    this.bucket = new TokenBucket(options);
  }

  handle(ctx: HandleContext, next: Next): unknown {
    const wait = this.bucket.take();
    if (wait <= 0) return next();
    this.stats.rateLimited++;
    ctx.replyHeaders.set(RETRY_AFTER_HEADER, String(wait));
    throw refusal(new MeshError('RATE_LIMITED', `"${ctx.subject}" takes no more requests right now (rate limit): retry in ${wait} ms.`, { retryAfterMs: wait }));
  }
}
