import { MeshError } from '../errors/mesh-error';
import type { MessageKind } from '../middleware/message-context';
import type { Middleware } from '../middleware/middleware';
import { middlewareName } from '../middleware/middleware-name';
import type { MiddlewareResolver } from '../middleware/resolve-middleware';
import { appliesTo } from '../middleware/server-layers';
import type { EndpointDefinition, ServiceDefinition, SubscriptionDefinition } from '../scanner/service-definition';

/**
 * For one service: the middleware around each of its handlers, outermost first — the app's,
 * then the service's `@Use`, then the handler's — keeping those with a hook for the handler's
 * pipeline (`handle` for `@Handle`, `event` for `@On`).
 *
 * @throws MeshError `INVALID_OPTIONS` for a `@Use` middleware with no server hook at all (only `call`/`emit`),
 * or a handler's `@Use` middleware with no hook for that handler's pipeline.
 */
export function handlerMiddleware(
  resolver: MiddlewareResolver,
  app: readonly Middleware[],
  d: ServiceDefinition,
): (handler: EndpointDefinition | SubscriptionDefinition, kind: MessageKind) => Middleware[] {
  const cls = d.target.name;
  const service = resolver.resolve(d.middleware, `@Use on ${cls}`);
  for (const mw of service) {
    if (!appliesTo(mw, 'handle') && !appliesTo(mw, 'event')) throw noHook(mw, `@Use on ${cls}`, 'a request or an event');
  }
  return (handler, kind) => {
    const where = `@Use on ${cls}.${handler.method}`;
    const own = resolver.resolve(handler.middleware, where);
    for (const mw of own) if (!appliesTo(mw, kind)) throw noHook(mw, where, kind === 'handle' ? 'a request' : 'an event');
    return [...app, ...service, ...own].filter((mw) => appliesTo(mw, kind));
  };
}

function noHook(mw: Middleware, where: string, what: string): MeshError {
  return new MeshError(
    'INVALID_OPTIONS',
    `${where}: ${middlewareName(mw)} has no hook that runs on ${what} (canActivate, before, after, error, handle or event): ` +
      'give it one, or pass client-side middleware (call, emit) to createApp({ middleware }) or createClient({ middleware }).',
  );
}
