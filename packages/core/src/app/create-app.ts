import { nuid } from 'nats';
import { container as rootContainer } from 'tsyringe';
import { logPermissionViolation } from './log-permission-violation';
import { MeshClient } from '../client/mesh-client';
import { buildServices } from '../di/build-container';
import { MeshError } from '../errors/mesh-error';
import { bindNew, resolveLogger } from '../logging/app-logger';
import { logSafely } from '../logging/log-safely';
import type { Constructor } from '../metadata/options';
import { planDurables } from '../durable/durable-plan';
import { DurableRoute } from '../durable/durable-route';
import { EndpointRoute } from '../runtime/endpoint-route';
import { EventRoute } from '../runtime/event-route';
import { InFlight } from '../runtime/in-flight';
import type { EndpointDefinition, ServiceDefinition, SubscriptionDefinition } from '../scanner/service-definition';
import { scanService } from '../scanner/service-scanner';
import { assignQueueGroups } from '../scanner/queue-groups';
import { compileDtoValidator, type DtoValidator } from '../validation/dto-validator';
import { App } from './app';
import { describeService, type MiddlewareNamesOf } from './describe';
import { handlerMiddleware } from './handler-middleware';
import { MiddlewareResolver } from '../middleware/resolve-middleware';
import type { AppOptions } from './app-options';
import { loadServices } from './load-services';
import { checkAppOptions } from './check-options';
import { checkSrvNames } from '../discovery/srv-names';
import { MeshMetrics } from '../metrics/mesh-metrics';
import { resolveTracing } from '../tracing/tracing-options';
import { resolveIdentity } from '../identity/identity-options';

/**
 * Builds an app: finds the services, checks their definitions, builds them through
 * dependency injection and compiles one route per endpoint and subscription. Nothing
 * connects until `app.start()`; every definition error surfaces here.
 *
 * @example
 * const app = await createApp({ services: [BookingService], nats: { servers: 'nats://127.0.0.1:4222' } });
 * await app.start();
 * @throws MeshError `NOT_A_SERVICE`, `INVALID_SUBJECT`, `DUPLICATE_SUBJECT`, `UNRESOLVED_DEPENDENCY`, `INVALID_OPTIONS`.
 */
export async function createApp(options: AppOptions = {}): Promise<App> {
  const { timeout, drainTimeout, heartbeatInterval, maxPayload, metrics: metricsOptions } = checkAppOptions(options);
  // Decided here, once: off (or no provider registered, by default) builds no tracing layer anywhere.
  const tracing = resolveTracing(options.tracing, 'createApp');
  const classes = new Set<Constructor>(options.services ?? []);
  if (options.scan !== undefined) for (const c of await loadServices(options.scan, options.cwd)) classes.add(c);
  if (classes.size === 0) {
    throw new MeshError('INVALID_OPTIONS', 'createApp found no service: pass services: [MyService] or scan: "dist/**/*.service.js".');
  }
  const scanned = [...classes].map(scanService);
  checkUnique(scanned);
  if (options.discovery !== false) checkSrvNames(scanned);
  const definitions = assignQueueGroups(scanned);
  // Decided here, once: off builds no signer and no verifying layer.
  const identity = resolveIdentity(options.identity, 'createApp', definitions.map((d) => d.name));
  const endpointSubjects = definitions.flatMap((d) => d.endpoints.map((e) => ({ subject: e.subject, where: `@Handle('${e.name}') on ${d.target.name}.${e.method}` })));
  const durablePlan = planDurables(
    definitions.flatMap((d) => d.subscriptions.filter((s) => s.durable !== undefined).map((s) => ({ definition: s, where: `@On('${s.pattern}') on ${d.target.name}.${s.method}` }))),
    options.jetstream,
    endpointSubjects,
  );

  const instance = typeof options.instance === 'string' ? { id: options.instance } : (options.instance ?? {});
  const instanceId = instance.id ?? nuid.next();
  if (!/^[^\s.*>]+$/.test(instanceId)) {
    throw new MeshError('INVALID_OPTIONS', `createApp instance id "${instanceId}" is not one subject token: use letters, digits, "-" or "_" (it addresses the instance on NATS).`);
  }
  const logger = bindNew(resolveLogger(options.logger, 'createApp'), { instanceId });
  const resilience = options.resilience ?? {};
  // Built only when on: with metrics off no route gets a metrics layer (the direct path stays), and app.client none.
  const warn = (message: string) => logSafely(() => logger.warn(message));
  const metrics = metricsOptions === undefined ? undefined : new MeshMetrics(metricsOptions.defaultMetrics, warn);
  const clientMetrics = metrics?.forClient(warn);
  const client = new MeshClient(timeout, { resilience, strategy: options.strategy, zone: instance.zone }, clientMetrics);
  // The app's own client follows what its hosted endpoints declare about retries.
  client.learn(definitions.flatMap((d) => d.endpoints));
  const { container, instances } = buildServices(options.container ?? rootContainer, options.providers ?? [], definitions, [[MeshClient, client]]);

  const resolver = new MiddlewareResolver(container);
  const appMiddleware = resolver.resolve(options.middleware, 'createApp');
  // Their call and emit hooks wrap app.client, and so ctx.request and ctx.emit.
  client.useMiddleware(appMiddleware);
  if (tracing !== undefined) client.useBuiltIns([tracing.forClient()]);
  client.useIdentity(identity?.signer);
  // Calls that are not a handler's ctx.request (a job's app.client.request) come from the app's one service, if it has one.
  client.callerName = definitions.length === 1 ? definitions[0].name : undefined;
  // A fire-and-forget ctx.emit whose async emit middleware failed: nobody awaits it, so the log says it.
  client.onDroppedEmitFailure = (err, subject) => logSafely(() => logger.warn({ err, subject }, 'event not emitted: its emit middleware failed and nobody awaited the emit'));
  client.onPermissionViolation = (v, request) => logSafely(() => logPermissionViolation(logger, definitions, v, request));
  const host = { instanceId, client, logger };
  const inFlight = new InFlight();
  const validators = new Map<Constructor, DtoValidator>();
  const validatorOf = (dto: Constructor | undefined): DtoValidator | undefined => {
    if (dto === undefined) return undefined;
    let v = validators.get(dto);
    if (!v) validators.set(dto, (v = compileDtoValidator(dto, options.validation)));
    return v;
  };
  // Around each handler: tracing outermost, then metrics, then the user's middleware.
  const traced = (service: string, s: SubscriptionDefinition, group: string | undefined) => (tracing === undefined ? [] : [tracing.forEvents(service, s.method, s.pattern, group)]);
  const eventMetrics = (service: string, s: SubscriptionDefinition) => (metrics === undefined ? [] : [metrics.forEvents(service, s.method)]);
  const names = new Map<EndpointDefinition | SubscriptionDefinition, readonly string[]>();
  const routes = definitions.flatMap((d) => {
    const target = instances.get(d)!;
    const around = handlerMiddleware(resolver, appMiddleware, d);
    return [
      ...d.endpoints.map((e) => {
        const route = new EndpointRoute(
          e,
          d.name,
          target,
          validatorOf(e.input),
          host,
          inFlight,
          timeout,
          maxPayload,
          {
            rateLimit: e.rateLimit === false ? undefined : (e.rateLimit ?? resilience.rateLimit),
            bulkhead: e.bulkhead === false ? undefined : (e.bulkhead ?? resilience.bulkhead),
            identity: identity?.verifier,
          },
          around(e, 'handle'),
          metrics?.forEndpoint(d.name, e.name),
          tracing?.forEndpoint(d.name, e.name, e.subject, e.queue),
        );
        names.set(e, route.middleware);
        return route;
      }),
      ...d.subscriptions
        .filter((s) => s.durable === undefined)
        .map((s) => {
          const route = new EventRoute(s, d.name, target, validatorOf(s.input), host, inFlight, timeout, maxPayload, [...traced(d.name, s, s.queue), ...eventMetrics(d.name, s), ...around(s, 'event')]);
          names.set(s, route.middleware);
          return route;
        }),
    ];
  });
  let consumerIndex = 0;
  const durableRoutes = definitions.flatMap((d) => {
    const target = instances.get(d)!;
    const around = handlerMiddleware(resolver, appMiddleware, d);
    return d.subscriptions
      .filter((s) => s.durable !== undefined)
      .map((s) => {
        const plan = durablePlan.consumers[consumerIndex++];
        // Durable deliveries are counted by outcome (handled, redelivered, dead-lettered), not as plain events.
        const outcomes = metrics?.forDurableEvents(d.name, s.method);
        const outer = [...traced(d.name, s, plan.durable), ...(outcomes === undefined ? [] : [outcomes])];
        const route = new DurableRoute(s, plan, d.name, target, validatorOf(s.input), host, inFlight, maxPayload, [...outer, ...around(s, 'event')], outcomes);
        names.set(s, route.middleware);
        return route;
      });
  });
  const middlewareOf: MiddlewareNamesOf = (_, handler) => names.get(handler) ?? [];

  const versionOf = new Map(definitions.map((d) => [d.name, d.version]));
  const faultable = routes.flatMap((r) =>
    r instanceof EndpointRoute
      ? [{ route: r, scope: { service: r.serviceName, endpoint: r.definition.name, version: versionOf.get(r.serviceName)! }, count: metrics?.forFaults(r.serviceName, r.definition.name) }]
      : [],
  );

  const srvServices = definitions.map((d) => ({
    description: describeService(d, middlewareOf),
    stats: new Map(routes.flatMap((r) => (r instanceof EndpointRoute && r.serviceName === d.name ? [[r.definition.name, r.stats] as const] : []))),
  }));

  return new App({
    definitions,
    middlewareOf,
    routes,
    client,
    container,
    instanceId,
    zone: instance.zone,
    nats: options.nats,
    logger,
    inFlight,
    drainTimeout,
    metrics: metrics === undefined ? undefined : { meshMetrics: metrics, options: metricsOptions! },
    faults: { endpoints: faultable, callers: new Set(definitions.map((d) => d.name)) },
    discovery: heartbeatInterval === 0 ? undefined : { heartbeatInterval, services: srvServices },
    control: options.control === false ? undefined : { domain: options.jetstream?.domain },
    durables:
      durableRoutes.length === 0 ? undefined : { streams: durablePlan.streams, consumers: durablePlan.consumers, routes: durableRoutes, domain: options.jetstream?.domain, endpoints: endpointSubjects },
  });
}

function checkUnique(definitions: readonly ServiceDefinition[]): void {
  const names = new Map<string, string>();
  const subjects = new Map<string, string>();
  for (const d of definitions) {
    const other = names.get(d.name);
    if (other) {
      throw new MeshError('INVALID_OPTIONS', `${d.target.name} and ${other} are both service "${d.name}": give each service class its own name.`);
    }
    names.set(d.name, d.target.name);
    for (const e of d.endpoints) {
      const where = `${d.target.name}.${e.method}`;
      const first = subjects.get(e.subject);
      if (first) {
        throw new MeshError('DUPLICATE_SUBJECT', `${first} and ${where} both handle "${e.subject}": give each handler its own subject.`);
      }
      subjects.set(e.subject, where);
    }
  }
}
