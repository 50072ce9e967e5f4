import { MeshError } from '../errors/mesh-error';
import type { MessageKind } from '../middleware/message-context';
import type { Middleware } from '../middleware/middleware';
import { middlewareName } from '../middleware/middleware-name';
import type { MiddlewareResolver } from '../middleware/resolve-middleware';
import { appliesTo } from '../middleware/server-layers';
import type { EndpointDefinition, ServiceDefinition, SubscriptionDefinition } from '../scanner/service-definition';

/**
 * Most middleware around one handler. Each layer is a few stack frames deep per message: a
 * chain of thousands overflows the stack on every request, so it is refused at boot instead.
 */
export const MAX_MIDDLEWARE_PER_HANDLER = 256;

/**
 * For one service: the middleware around each of its handlers, outermost first — the app's,
 * then the service's `@Use`, then the handler's — keeping those with a hook for the handler's
 * pipeline (`handle` for `@Handle`, `event` for `@On`).
 *
 * @throws MeshError `INVALID_OPTIONS` for a `@Use` middleware that would never run (no hook for
 * any handler of the service, or for the pipeline of the handler it is on), or more than
 * {@link MAX_MIDDLEWARE_PER_HANDLER} around one handler.
 */
export function handlerMiddleware(
  resolver: MiddlewareResolver,
  app: readonly Middleware[],
  d: ServiceDefinition,
): (handler: EndpointDefinition | SubscriptionDefinition, kind: MessageKind) => Middleware[] {
  const cls = d.target.name;
  const service = resolver.resolve(d.middleware, `@Use on ${cls}`);
  const kinds: MessageKind[] = [];
  if (d.endpoints.length > 0) kinds.push('handle');
  if (d.subscriptions.length > 0) kinds.push('event');
  for (const mw of service) {
    if (!kinds.some((k) => appliesTo(mw, k))) throw noHook(mw, `@Use on ${cls}`, kinds);
  }
  return (handler, kind) => {
    const where = `@Use on ${cls}.${handler.method}`;
    const own = resolver.resolve(handler.middleware, where);
    for (const mw of own) if (!appliesTo(mw, kind)) throw noHook(mw, where, [kind]);
    const around = [...app, ...service, ...own].filter((mw) => appliesTo(mw, kind));
    if (around.length > MAX_MIDDLEWARE_PER_HANDLER) {
      throw new MeshError(
        'INVALID_OPTIONS',
        `${cls}.${handler.method} has ${around.length} middleware around it, more than ${MAX_MIDDLEWARE_PER_HANDLER}: combine them into fewer (one middleware may do several things).`,
      );
    }
    return around;
  };
}

function noHook(mw: Middleware, where: string, kinds: readonly MessageKind[]): MeshError {
  const hooks = ['canActivate', 'before', 'after', 'error', ...kinds].join(', ');
  const what = kinds.length === 0 ? 'this service, which has no @Handle or @On handler' : kinds.map((k) => (k === 'handle' ? 'a request' : 'an event')).join(' or ');
  return new MeshError(
    'INVALID_OPTIONS',
    `${where}: ${middlewareName(mw)} has no hook that runs on ${what} (${hooks}), so it would never run: ` +
      'give it one, or put client-side middleware (call, emit) in createApp({ middleware }) or createClient({ middleware }).',
  );
}
