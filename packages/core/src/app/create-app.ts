import { nuid } from 'nats';
import { container as rootContainer } from 'tsyringe';
import { MeshClient } from '../client/mesh-client';
import { buildServices } from '../di/build-container';
import { MeshError } from '../errors/mesh-error';
import { createLogger } from '../logging/logger';
import type { Constructor } from '../metadata/options';
import { EndpointRoute } from '../runtime/endpoint-route';
import { EventRoute } from '../runtime/event-route';
import { InFlight } from '../runtime/in-flight';
import type { ServiceDefinition } from '../scanner/service-definition';
import { scanService } from '../scanner/service-scanner';
import { compileDtoValidator, type DtoValidator } from '../validation/dto-validator';
import { App } from './app';
import { describeService } from './describe';
import type { AppOptions } from './app-options';
import { loadServices } from './load-services';

/**
 * Builds an app: finds the services, checks their definitions, builds them through
 * dependency injection and compiles one route per endpoint and subscription. Nothing
 * connects until `app.start()`; every definition error surfaces here.
 *
 * @example
 * const app = await createApp({ services: [BookingService], nats: { servers: 'nats://127.0.0.1:4222' } });
 * await app.start();
 * @throws MeshError `NOT_A_SERVICE`, `INVALID_SUBJECT`, `DUPLICATE_SUBJECT`, `UNRESOLVED_DEPENDENCY`, `INVALID_OPTIONS`, `NOT_IMPLEMENTED`.
 */
export async function createApp(options: AppOptions = {}): Promise<App> {
  const timeout = positive(options.timeout, 'timeout', 5000);
  const drainTimeout = positive(options.drainTimeout, 'drainTimeout', 10_000);
  const classes = new Set<Constructor>(options.services ?? []);
  if (options.scan !== undefined) for (const c of await loadServices(options.scan, options.cwd)) classes.add(c);
  if (classes.size === 0) {
    throw new MeshError('INVALID_OPTIONS', 'createApp found no service: pass services: [MyService] or scan: "dist/**/*.service.js".');
  }
  const definitions = [...classes].map(scanService);
  checkUnique(definitions);

  const instance = typeof options.instance === 'string' ? { id: options.instance } : (options.instance ?? {});
  const instanceId = instance.id ?? nuid.next();
  const logger = (options.logger ?? createLogger()).child({ instanceId });
  const client = new MeshClient(timeout);
  const { container, instances } = buildServices(options.container ?? rootContainer, options.providers ?? [], definitions, [[MeshClient, client]]);

  const host = { instanceId, client, logger };
  const inFlight = new InFlight();
  const validators = new Map<Constructor, DtoValidator>();
  const validatorOf = (dto: Constructor | undefined): DtoValidator | undefined => {
    if (dto === undefined) return undefined;
    let v = validators.get(dto);
    if (!v) validators.set(dto, (v = compileDtoValidator(dto, options.validation)));
    return v;
  };
  const routes = definitions.flatMap((d) => {
    const target = instances.get(d)!;
    return [
      ...d.endpoints.map((e) => new EndpointRoute(e, d.name, target, validatorOf(e.input), host, inFlight, timeout)),
      ...d.subscriptions.map((s) => new EventRoute(s, d.name, target, validatorOf(s.input), host, inFlight, timeout)),
    ];
  });

  const heartbeatInterval = options.discovery === false ? 0 : positive(options.discovery?.heartbeatInterval, 'discovery.heartbeatInterval', 5000);
  const srvServices = definitions.map((d) => ({
    description: describeService(d),
    stats: new Map(routes.flatMap((r) => (r instanceof EndpointRoute && r.serviceName === d.name ? [[r.definition.name, r.stats] as const] : []))),
  }));

  return new App({
    definitions,
    routes,
    client,
    container,
    instanceId,
    zone: instance.zone,
    nats: options.nats,
    logger,
    inFlight,
    drainTimeout,
    discovery: heartbeatInterval === 0 ? undefined : { heartbeatInterval, services: srvServices },
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
    for (const s of d.subscriptions) {
      if (s.durable !== undefined) {
        throw new MeshError(
          'NOT_IMPLEMENTED',
          `@On('${s.pattern}', { durable: '${s.durable}' }) on ${d.target.name}.${s.method}: durable JetStream consumers are not available in this version; remove "durable" to subscribe at-most-once.`,
        );
      }
    }
  }
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0)) {
    throw new MeshError('INVALID_OPTIONS', `createApp option ${name} is ${String(value)}: use a positive number of milliseconds.`);
  }
  return value;
}
