import type { Balancer } from '../../balancing/balancer';
import type { BalanceOptions } from '../../balancing/strategy';
import { MeshError } from '../../errors/mesh-error';
import type { CallContext } from '../../middleware/call-context';
import type { Middleware, Next } from '../../middleware/middleware';
import { beforeDeadline } from '../before-deadline';
import { toMsgHdrs } from '../headers-init';

/**
 * Outermost built-in of a call with a client-side strategy: waits, within the call's deadline,
 * for the balancer (the registry's first scatter-gather can take a second) and works out the
 * call's balancing key, once per call. Outside fallback and retry: a registry that is not ready
 * in time fails the call with `TIMEOUT`, neither retried nor replaced by the fallback.
 *
 * @throws MeshError `TIMEOUT` when the balancer is not ready by the call's deadline.
 */
export class StrategyMiddleware implements Middleware {
  readonly name = 'strategy';

  constructor(private readonly balancer: () => Balancer | Promise<Balancer>) {}

  call(ctx: CallContext, next: Next): unknown {
    const strategy = ctx.strategy;
    if (strategy === undefined || strategy === 'queue') return next();
    const balancer = this.balancer();
    if (!(balancer instanceof Promise)) return ready(ctx, balancer, next);
    return beforeDeadline(balancer, ctx.deadline, () => new MeshError(
      'TIMEOUT',
      `No reply on "${ctx.subject}" within ${ctx.timeout} ms: the registry was still gathering the mesh for the load-balancing strategy; raise the timeout of the first calls, or await client.waitFor(service) first.`,
    )).then((b) => ready(ctx, b, next));
  }
}

function ready(ctx: CallContext, balancer: Balancer, next: Next): unknown {
  ctx.balancer = balancer;
  ctx.balanceKey = keyOf(ctx.options, ctx.data);
  return next();
}

function keyOf(options: BalanceOptions & { headers?: unknown }, data: unknown): string | undefined {
  if (options.key !== undefined) return options.key;
  const source = options.hashKey;
  if (source === undefined) return undefined;
  if (typeof source === 'string') {
    const v = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[source] : undefined;
    return v === undefined || v === null ? undefined : String(v);
  }
  const h = options.headers;
  if (h === undefined) return undefined;
  const v = toMsgHdrs(h as Parameters<typeof toMsgHdrs>[0]).get(source.header);
  return v === '' ? undefined : v;
}
