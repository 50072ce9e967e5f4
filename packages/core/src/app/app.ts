import type { NatsConnection, Subscription } from 'nats';
import type { Registry } from 'prom-client';
import type { DependencyContainer } from 'tsyringe';
import type { MeshClient } from '../client/mesh-client';
import { connectNats, drainAndClose, isNatsConnection, type NatsConnectOptions, type NatsInput } from '../client/nats-connection';
import { inboxPrefixOf } from '../acl/inbox-prefix';
import { DiscoveryResponder } from '../discovery/discovery-responder';
import { DIRECT_PREFIX, VERSION_PREFIX, versionToken } from '../discovery/discovery-subjects';
import { HOST_NAME, NATSMESH_VERSION, type InstanceInfo } from '../discovery/instance-info';
import type { SrvService } from '../discovery/srv-responses';
import type { ConsumerPlan, StreamPlan } from '../durable/durable-plan';
import type { DurableRoute } from '../durable/durable-route';
import { ensureDurables, openJetStream } from '../durable/jetstream-setup';
import type { RequestSubject } from '../durable/request-subjects';
import { MeshError } from '../errors/mesh-error';
import type { Logger } from '../logging/logger';
import { EndpointRoute } from '../runtime/endpoint-route';
import type { EventRoute } from '../runtime/event-route';
import type { InFlight } from '../runtime/in-flight';
import type { ServiceDefinition } from '../scanner/service-definition';
import type { MeshMetrics } from '../metrics/mesh-metrics';
import type { CheckedMetricsOptions } from '../metrics/metrics-options';
import { MetricsServer } from '../metrics/metrics-server';
import { describeService, type MiddlewareNamesOf, type ServiceDescription } from './describe';
import type { HealthReport } from '../health/health-report';
import { HealthResponder } from '../health/health-responder';
import { notReady, type AppState } from '../health/readiness';
import { serveFaults, type FaultableEndpoint } from '../control/serve-faults';
import { startControlPlane } from '../control/control-plane';
import type { RulesView } from '../control/rules-model';

/** What createApp hands the App: everything decided at boot. */
export interface AppParts {
  readonly definitions: readonly ServiceDefinition[];
  /** The names of the middleware around each handler, as composed at boot. */
  readonly middlewareOf: MiddlewareNamesOf;
  readonly routes: readonly (EndpointRoute | EventRoute)[];
  readonly client: MeshClient;
  readonly container: DependencyContainer;
  readonly instanceId: string;
  readonly zone: string | undefined;
  readonly nats: NatsInput | undefined;
  readonly logger: Logger;
  readonly inFlight: InFlight;
  readonly drainTimeout: number;
  /** Undefined when metrics are off. */
  readonly metrics: { readonly meshMetrics: MeshMetrics; readonly options: CheckedMetricsOptions } | undefined;
  /** Durable subscriptions with the streams and consumers they need; undefined when there are none. */
  readonly durables:
    | {
        readonly streams: readonly StreamPlan[];
        readonly consumers: readonly ConsumerPlan[];
        readonly routes: readonly DurableRoute[];
        readonly domain: string | undefined;
        /** The app's endpoint subjects: no stream it creates or checks may store one. */
        readonly endpoints: readonly RequestSubject[];
      }
    | undefined;
  /** The endpoints as the control plane's server-side faults see them, and the names the app's client calls as. */
  readonly faults: { readonly endpoints: readonly FaultableEndpoint[]; readonly callers: ReadonlySet<string> };
  /** The control plane's JetStream domain; undefined when `control: false`. */
  readonly control: { readonly domain: string | undefined } | undefined;
  /** Undefined when discovery is off. */
  readonly discovery: { readonly heartbeatInterval: number; readonly services: readonly SrvService[] } | undefined;
}

type State = AppState;

/**
 * The connection options of an app, with the inbox prefix of its one service's generated NATS
 * user (`_INBOX_<service>`) unless given: under `natsmesh acl` permissions a user may read its own
 * inbox only. An app hosting several services keeps nats.js's `_INBOX`.
 */
function withInboxPrefix(nats: NatsConnectOptions | undefined, definitions: readonly ServiceDefinition[]): NatsConnectOptions | undefined {
  if (definitions.length !== 1 || nats?.inboxPrefix !== undefined) return nats;
  return { ...nats, inboxPrefix: inboxPrefixOf(definitions[0].name) };
}

function refusedSubscriptions(subs: readonly Subscription[], definitions: readonly ServiceDefinition[]): MeshError {
  const what = subs.map((s) => {
    const queue = (s as { queue?: string }).queue;
    return queue ? `"${s.getSubject()}" (queue ${queue})` : `"${s.getSubject()}"`;
  });
  return new MeshError(
    'FORBIDDEN',
    `NATS refused the subscription to ${what.join(', ')}: the connection's user may not subscribe there. ` +
      `Connect ${definitions.map((d) => d.name).join(', ')} with its own generated user (natsmesh acl, regenerated after the change), or remove the handler that takes another service's subject.`,
  );
}

/** A set of services wired to NATS. Made by {@link createApp}. */
export class App {
  /** Calls endpoints and emits events over the app's connection. */
  readonly client: MeshClient;
  /** The app's dependency-injection container (a child of the one given). */
  readonly container: DependencyContainer;
  /** Unique id of this running instance. */
  readonly instanceId: string;
  /** Zone of this instance, when given. */
  readonly zone: string | undefined;
  private state: State = 'created';
  private nc: NatsConnection | undefined;
  private ownsConnection = false;
  private subs: Subscription[] = [];
  private durableRoutes: DurableRoute[] = [];
  private responder: DiscoveryResponder | undefined;
  private connected = false;
  private startedAt: number | undefined;
  private healthResponder: HealthResponder | undefined;
  private stopFaults: (() => void) | undefined;
  private readonly metricsServer: MetricsServer | undefined;
  /**
   * The app's prom-client `Registry` (its own, not prom-client's global one) when
   * `createApp({ metrics })` is set, else undefined: serve `await app.metrics.metrics()` with
   * `app.metrics.contentType` from your own HTTP server, or register your own metrics in it.
   */
  readonly metrics: Registry | undefined;

  constructor(private readonly parts: AppParts) {
    this.client = parts.client;
    this.metrics = parts.metrics?.meshMetrics.registry;
    if (parts.metrics) this.metricsServer = new MetricsServer(parts.metrics.meshMetrics.registry, parts.metrics.options, () => this.unready());
    this.container = parts.container;
    this.instanceId = parts.instanceId;
    this.zone = parts.zone;
  }

  /**
   * The URL of the Prometheus text (`http://host:port/metrics`) while the metrics server listens
   * (from `app.start()` to `app.stop()`), with the port picked when `metrics.port` is 0; `/healthz`
   * and `/readyz` are on the same origin. Undefined when metrics are off or the app is not started.
   */
  get metricsUrl(): string | undefined {
    return this.metricsServer?.url;
  }

  /** What `/readyz` answers with 503, or undefined when ready. */
  private unready(): { status: string; reason: string } | undefined {
    return notReady(this.state, this.connected);
  }

  /**
   * The app's health now, as it answers on `$NATSMESH.HEALTH` and `$NATSMESH.HEALTH.<id>`:
   * status `ready` or why not (the rule of `/readyz`), uptime in ms, handlers in flight, services.
   */
  health(): HealthReport {
    const not = notReady(this.state, this.connected);
    const report: HealthReport = {
      id: this.instanceId,
      status: not?.status ?? 'ready',
      // Counts only while the app runs: a failed start() goes back to created, and stopped is over.
      uptime: this.startedAt === undefined || this.state === 'created' || this.state === 'stopped' ? 0 : Date.now() - this.startedAt,
      inFlight: this.parts.inFlight.size,
      services: this.parts.definitions.map((d) => ({ name: d.name, version: d.version })),
      host: HOST_NAME,
    };
    if (not) report.reason = not.reason;
    if (this.zone !== undefined) report.zone = this.zone;
    return report;
  }

  /**
   * The control plane's rules in force (the same view as `app.client.rules`): read by `start()`
   * before the app serves, replaced within 1 s of each change of the `natsmesh_rules` bucket;
   * `NO_RULES` before start and when the control plane is off.
   */
  get rules(): RulesView {
    return this.parts.client.rules;
  }

  /** The immutable definitions of the hosted services. */
  get definitions(): readonly ServiceDefinition[] {
    return this.parts.definitions;
  }

  /** The hosted services as plain data (for docs, tooling and tests). */
  describe(): ServiceDescription[] {
    return this.parts.definitions.map((d) => describeService(d, this.parts.middlewareOf));
  }

  /**
   * Connects (unless given a connection), subscribes every endpoint and event handler, and
   * resolves once the server has registered them all.
   *
   * Durable subscriptions first get their streams and consumers (created when missing). Before
   * the first subscription, the control plane's rules are read into `app.rules` (when the server
   * has JetStream and `control` is not false; otherwise one log line says it is off).
   *
   * @throws MeshError `UNAVAILABLE` when NATS cannot be reached, `JETSTREAM_UNAVAILABLE` when durable
   * subscriptions need JetStream and the server has none, `INVALID_OPTIONS` when called twice or a stream does not fit.
   */
  async start(): Promise<void> {
    if (this.state !== 'created') throw new MeshError('INVALID_OPTIONS', `app.start() was called while the app is ${this.state}: start an app once.`);
    this.state = 'starting';
    this.startedAt = Date.now();
    const { nats, logger, routes, client } = this.parts;
    try {
      // First, so a port in use fails before anything connects, and /readyz says "starting" meanwhile.
      await this.metricsServer?.start();
      if (isNatsConnection(nats)) {
        this.nc = nats;
      } else {
        this.nc = await connectNats(withInboxPrefix(nats, this.parts.definitions), `natsmesh:${this.parts.definitions.map((d) => d.name).join(',')}`);
        this.ownsConnection = true;
      }
      const nc = this.nc;
      client.attach(nc, false);
      // Before the first subscription: the app serves with the rules in force, never without them.
      if (this.parts.control) {
        await startControlPlane(client, nc, logger, this.parts.control.domain);
        this.followFaults(this.rules);
      }
      if (this.parts.discovery) {
        // First, so that askers see "starting" meanwhile; it stays until release(), so they see "stopping" too.
        this.healthResponder = new HealthResponder(this.instanceId, () => this.health(), logger);
        this.healthResponder.start(nc);
      }
      for (const route of routes) {
        this.subs.push(nc.subscribe(route.subject, { queue: route.queue, callback: (err, msg) => route.onMessage(err, msg) }));
      }
      // Each endpoint of this version of its service, in the same queue group: where nats-server
      // weighted mappings (natsmesh route export) send a version's share of plain NATS callers.
      const versions = new Map(this.parts.definitions.map((d) => [d.name, versionToken(d.version)]));
      for (const route of routes) {
        if (route instanceof EndpointRoute) {
          this.subs.push(nc.subscribe(`${VERSION_PREFIX}.${versions.get(route.serviceName)}.${route.subject}`, { queue: route.queue, callback: (err, msg) => route.onMessage(err, msg) }));
        }
      }
      if (this.parts.discovery) {
        // Each endpoint of this instance alone, for client-side strategies that pick the instance.
        const direct = `${DIRECT_PREFIX}.${this.instanceId}`;
        for (const route of routes) {
          if (route instanceof EndpointRoute) this.subs.push(nc.subscribe(`${direct}.${route.subject}`, { callback: (err, msg) => route.onMessage(err, msg) }));
        }
      }
      const durables = this.parts.durables;
      if (durables) {
        const jsm = await openJetStream(nc, durables.domain);
        await ensureDurables(jsm, durables.streams, durables.consumers, durables.endpoints);
        const js = nc.jetstream(durables.domain === undefined ? undefined : { domain: durables.domain });
        for (const route of durables.routes) {
          await route.start(nc, js);
          this.durableRoutes.push(route);
        }
      }
      const discovery = this.parts.discovery;
      if (discovery) {
        this.responder = new DiscoveryResponder(this.instanceInfo(discovery.heartbeatInterval), discovery.services, this.parts.inFlight, logger);
        this.responder.start(nc);
      }
      await nc.flush();
      // The server answers a refused SUB with -ERR before the PONG of that flush; nats.js closes the subscription.
      const refused = this.subs.filter((sub) => sub.isClosed());
      if (refused.length > 0) throw refusedSubscriptions(refused, this.parts.definitions);
      this.setConnected(true, false);
      void this.watchConnection(nc);
    } catch (err) {
      this.state = 'created';
      await this.release();
      await this.metricsServer?.stop();
      throw err;
    }
    this.state = 'started';
    // instanceId is bound to the app's logger already: repeating it would write the key twice.
    logger.info({ services: this.parts.definitions.map((d) => `${d.name}@${d.version}`), subscriptions: routes.length }, 'natsmesh app started');
  }

  /**
   * Stops taking messages (requests, events and durable consumers), lets the handlers in flight
   * finish and send their replies and acks, then closes the connection it opened. Callers get `NO_RESPONDERS` afterwards.
   */
  async stop(): Promise<void> {
    if (this.state !== 'started') return;
    this.state = 'stopping';
    const { logger, inFlight, drainTimeout, client } = this.parts;
    const until = Date.now() + drainTimeout;
    this.responder?.stop(this.nc);
    this.responder = undefined;
    await Promise.all([...this.subs.map((s) => s.drain().catch(() => undefined)), ...this.durableRoutes.map((r) => r.stop())]);
    if (!(await inFlight.idle(drainTimeout))) {
      logger.warn({ inFlight: inFlight.size, drainTimeout }, 'handlers still running after the drain timeout; closing anyway');
    }
    // The app's own calls (a job's app.client.request, a handler's ctx.request) get their replies too, within the same drain timeout.
    if (!(await client.settled(until))) {
      logger.warn({ drainTimeout }, 'calls of app.client still waiting for replies after the drain timeout; they fail with UNAVAILABLE');
    }
    await this.release();
    await this.metricsServer?.stop();
    this.state = 'stopped';
    logger.info('natsmesh app stopped');
  }

  /**
   * Injects the faults of `view` (the control plane's rules) from now on until the app stops:
   * server-side ones into this app's endpoints, client-side ones into `app.client`'s calls.
   */
  private followFaults(view: RulesView): void {
    const { faults, logger, client } = this.parts;
    this.stopFaults?.();
    this.stopFaults = serveFaults(view, faults.endpoints, logger);
    client.followFaultRules(view, faults.callers, logger);
  }

  private instanceInfo(heartbeatInterval: number): InstanceInfo {
    const info: InstanceInfo = {
      id: this.instanceId,
      host: HOST_NAME,
      started: new Date().toISOString(),
      natsmesh: NATSMESH_VERSION,
      heartbeatInterval,
      services: this.describe(),
      direct: `${DIRECT_PREFIX}.${this.instanceId}`,
    };
    if (this.zone !== undefined) info.zone = this.zone;
    return info;
  }

  private async release(): Promise<void> {
    this.stopFaults?.();
    this.stopFaults = undefined;
    this.responder?.stop(undefined);
    this.responder = undefined;
    this.healthResponder?.stop();
    this.healthResponder = undefined;
    const nc = this.nc;
    this.parts.client.detach();
    this.subs = [];
    const durables = this.durableRoutes;
    this.durableRoutes = [];
    await Promise.all(durables.map((r) => r.stop()));
    this.nc = undefined;
    this.setConnected(false, false);
    if (!nc || nc.isClosed()) return;
    if (this.ownsConnection) await drainAndClose(nc);
    else await nc.flush().catch(() => undefined);
  }

  private setConnected(connected: boolean, reconnected: boolean): void {
    this.connected = connected;
    this.parts.metrics?.meshMetrics.setConnected(connected, reconnected);
  }

  private async watchConnection(nc: NatsConnection): Promise<void> {
    const log = this.parts.logger;
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        this.setConnected(false, false);
        log.warn({ server: s.data }, 'NATS connection lost; reconnecting');
      } else if (s.type === 'reconnect') {
        this.setConnected(true, true);
        log.info({ server: s.data }, 'NATS connection back; subscriptions restored');
      } else if (s.type === 'error' && s.data !== 'PERMISSIONS_VIOLATION') log.error({ err: s.data as unknown as Error }, 'NATS connection error');
    }
  }
}
