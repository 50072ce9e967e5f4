import { container as rootContainer } from 'tsyringe';
import { MiddlewareResolver } from '../middleware/resolve-middleware';
import { checkClientHooks } from '../middleware/client-layers';
import { checkClientOptions } from './check-client-options';
import { checkNatsInput } from './check-nats-input';
import { connectNats, isNatsConnection, type NatsInput } from './nats-connection';
import { MeshClient } from './mesh-client';
import type { ClientPolicyOptions } from './request-options';
import type { Registry } from 'prom-client';
import { clientMetricsOption } from '../metrics/client-metrics-option';
import { resolveTracing, type TracingOptions } from '../tracing/tracing-options';
import { resolveIdentity, type IdentityOptions } from '../identity/identity-options';
import { startControlPlane } from '../control/control-plane';
import { resolveLogger } from '../logging/app-logger';
import type { Logger } from '../logging/logger';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';

/** Options of {@link createClient}: connection, timeout, resilience defaults, load balancing and middleware. */
export interface ClientOptions extends ClientPolicyOptions {
  /** Connection options, or an open connection that the caller keeps owning. */
  nats?: NatsInput;
  /**
   * The name of the calling service or role this client calls as, for route rules that match on
   * the caller (`match: [{ caller: 'web', version: '2.0.0' }]`). Default: `identity.name` when set.
   */
  name?: string;
  /** Default request timeout in ms (5000; 1 … 2^31-1). */
  timeout?: number;
  /**
   * Client metrics (`natsmesh_client_*`, see docs/observability.md): a prom-client `Registry` to
   * count into (one you serve, or `app.metrics`), or `true` for a new one, read as
   * `client.metrics`. Off by default: then prom-client is not even loaded.
   */
  metrics?: Registry | boolean;
  /**
   * OpenTelemetry tracing of every request and emit (a CLIENT or PRODUCER span, its context in the
   * NATS headers). Absent: on when a tracer provider is registered with the global
   * `@opentelemetry/api` when `createClient` runs, else off; `true`: on with the global provider
   * even if registered later; `false`: off; `{ tracerProvider, propagator }`: these.
   */
  tracing?: boolean | TracingOptions;
  /**
   * Signed caller identity: `{ name, seedFile }` signs every request as `name` (a caller role or
   * service from `natsmesh acl`), for services that verify it (`ctx.caller`). Off by default.
   */
  identity?: IdentityOptions;
  /**
   * The control plane (`client.rules`, followed from the `natsmesh_rules` KV bucket): on by
   * default when the server has JetStream; `false` turns it off (`client.rules` is `NO_RULES`).
   */
  control?: boolean;
  /**
   * Where the client logs (the control plane being off, an invalid rule skipped): a pino logger,
   * `false` for nothing; default natsmesh's JSON lines on stderr.
   */
  logger?: Logger | false;
}

/**
 * A client for a process that hosts no service: a CLI, a job, a web backend. Its `middleware`
 * (objects, or classes built once by a child of tsyringe's root container) wrap every request
 * (`call` hooks) and emit (`emit` hooks), outermost first; see {@link MeshClient} for the order.
 * It resolves once connected and, when the server has JetStream, once `client.rules` holds the
 * control plane's rules in force (`control: false` skips that).
 *
 * @example
 * const client = await createClient({ nats: { servers: 'nats://127.0.0.1:4222' } });
 * const reply = await client.request('hotel.booking.save', { guest: 'Ann', room: 3 });
 * await client.close();
 * @throws MeshError `UNAVAILABLE` when no NATS server answers, `UNAUTHORIZED` when it refuses the credentials,
 * `INVALID_OPTIONS` for options that are not an object, a `control` that is not a boolean, a `name` that is not a non-empty string, a `logger` that is not a pino logger or false, a `metrics` that is not a prom-client Registry or a boolean, a timeout, policy or strategy out of range, a bad `nats` option,
 * or `middleware` that is not an array of middleware objects or classes, or has an entry with only server hooks (no `call` or `emit`); `UNRESOLVED_DEPENDENCY` for a middleware class that cannot be built.
 */
export async function createClient(options: ClientOptions = {}): Promise<MeshClient> {
  checkClientOptions(options, 'createClient');
  checkNatsInput(options.nats, 'createClient');
  if (options.control !== undefined && typeof options.control !== 'boolean') {
    throw new MeshError('INVALID_OPTIONS', `createClient option control is ${describeValue(options.control)}: use true or false.`);
  }
  const logger = resolveLogger(options.logger, 'createClient');
  const tracing = resolveTracing(options.tracing, 'createClient');
  const client = new MeshClient(options.timeout, options, clientMetricsOption(options.metrics, 'createClient'));
  if (tracing !== undefined) client.useBuiltIns([tracing.forClient()]);
  client.useIdentity(resolveIdentity(options.identity, 'createClient')?.signer);
  client.callerName = callerName(options);
  // Before connecting: a bad middleware list leaves no connection behind.
  const middleware = new MiddlewareResolver(rootContainer.createChildContainer()).resolve(options.middleware, 'createClient option');
  checkClientHooks(middleware, 'createClient option');
  client.useMiddleware(middleware);
  const given = options.nats;
  const nc = isNatsConnection(given) ? given : await connectNats(given, 'natsmesh-client');
  client.attach(nc, !isNatsConnection(given));
  if (options.control !== false) {
    await startControlPlane(client, nc, logger, undefined);
    // A client-side fault matching on a caller applies to a client signing as that caller.
    const callers = new Set(options.identity?.name === undefined ? [] : [options.identity.name]);
    client.followFaultRules(client.rules, callers, logger);
  }
  return client;
}

function callerName(options: ClientOptions): string | undefined {
  const name = options.name ?? options.identity?.name;
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new MeshError('INVALID_OPTIONS', `createClient option name is ${describeValue(name)}: use the calling service's or role's name, e.g. 'web'.`);
  }
  return name;
}
