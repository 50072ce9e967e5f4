import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Middleware } from '../middleware/middleware';
import { DurableEventMetrics, EventMetrics } from './event-metrics.middleware';
import { loadPromClient } from './load-prom-client';
import { EndpointMeter } from './endpoint-meter';
import { Tallies } from './tally';
import { CodeWarnings, type CodeTallies } from './code-label';
import { ClientMetrics } from './client-metrics';
import { DURATION_BUCKETS } from './duration-buckets';
import type { CountFault } from '../control/fault-decision';

export { DURATION_BUCKETS } from './duration-buckets';

/**
 * The metrics of one app, in its own prom-client registry (never the global one: two apps in a
 * process do not mix). Built only when `createApp({ metrics })` is set.
 */
export class MeshMetrics {
  readonly registry: Registry;
  /** @internal The series of `natsmesh_requests_total`, counted by the endpoints. */
  private readonly requests = new Tallies();
  private readonly meters: EndpointMeter[] = [];
  private readonly codeWarnings: CodeWarnings;
  /** @internal */ readonly duration: Histogram<'service' | 'endpoint'>;
  /** @internal The series of `natsmesh_events_total`, counted by the `@On` handlers. */
  readonly events = new Tallies();
  /** @internal The series of `natsmesh_event_redeliveries_total`. */
  readonly redeliveries = new Tallies();
  private readonly connected: Gauge;
  private readonly reconnects: Counter;
  private readonly faults: Counter<'service' | 'endpoint' | 'fault' | 'kind'>;

  /** `warn` says (once each) that codes were counted as `OTHER` (see {@link CodeTallies}). */
  constructor(defaultMetrics: boolean, warn: (message: string) => void) {
    this.codeWarnings = new CodeWarnings('natsmesh_requests_total', warn);
    const prom = loadPromClient();
    const registers = [(this.registry = new prom.Registry())];
    this.requests.of(
      new prom.Counter({
        name: 'natsmesh_requests_total',
        help: 'Requests handled, by outcome: code is OK or the MeshError code answered (EXPIRED: dropped for its deadline, no reply).',
        labelNames: ['service', 'endpoint', 'code'],
        registers,
        collect: () => this.requests.flush(),
      }),
    );
    this.duration = new prom.Histogram({
      name: 'natsmesh_request_duration_seconds',
      help: 'Time from a request reaching its endpoint to its answer (or refusal), seconds.',
      labelNames: ['service', 'endpoint'],
      buckets: [...DURATION_BUCKETS],
      registers,
    });
    const inFlight: Gauge<'service' | 'endpoint'> = new prom.Gauge({
      name: 'natsmesh_requests_in_flight',
      help: 'Requests being handled now.',
      labelNames: ['service', 'endpoint'],
      registers,
      collect: () => {
        for (const m of this.meters) inFlight.set(m.labels, m.inFlight);
      },
    });
    this.events.of(
      new prom.Counter({
        name: 'natsmesh_events_total',
        help: 'Event deliveries to @On handlers, each under one outcome: handled, failed or refused (plain); handled, redelivered, dead_lettered (durable; failed only when the dead letter could not be published).',
        labelNames: ['service', 'handler', 'outcome'],
        registers,
        collect: () => this.events.flush(),
      }),
    );
    this.redeliveries.of(
      new prom.Counter({
        name: 'natsmesh_event_redeliveries_total',
        help: 'Durable event deliveries that had been delivered before (JetStream delivery count above 1): after a failure, an ack wait that ran out, or an instance that went away.',
        labelNames: ['service', 'handler'],
        registers,
        collect: () => this.redeliveries.flush(),
      }),
    );
    this.faults = new prom.Counter({
      name: 'natsmesh_faults_injected_total',
      help: 'Faults of the control plane injected into requests by this instance (server side), by fault name and kind (delay or abort).',
      labelNames: ['service', 'endpoint', 'fault', 'kind'],
      registers,
    });
    this.connected = new prom.Gauge({ name: 'natsmesh_nats_connected', help: '1 while the app is connected to NATS, else 0.', registers });
    this.reconnects = new prom.Counter({ name: 'natsmesh_nats_reconnects_total', help: 'Times the NATS connection came back after a loss.', registers });
    if (defaultMetrics) prom.collectDefaultMetrics({ register: this.registry });
  }

  /** The statistics of one endpoint, counting its requests into the metrics as well. */
  forEndpoint(service: string, endpoint: string): EndpointMeter {
    const labels = { service, endpoint };
    const meter = new EndpointMeter(labels, this.duration.labels(labels), this.requests, this.codeWarnings);
    this.meters.push(meter);
    return meter;
  }

  /** Counts the faults injected into the requests of one endpoint (`natsmesh_faults_injected_total`). */
  forFaults(service: string, endpoint: string): CountFault {
    return (fault, kind) => this.faults.labels(service, endpoint, fault, kind).inc();
  }

  /** The built-in `event` middleware counting the deliveries to one `@On` handler. */
  forEvents(service: string, handler: string): Middleware {
    return new EventMetrics(this, service, handler);
  }

  /** The client metrics (`natsmesh_client_*`) of the app's client, in this registry. */
  forClient(warn: (message: string) => void): ClientMetrics {
    return ClientMetrics.of(this.registry, warn);
  }

  /** The built-in `event` middleware of one durable `@On` handler, also told by its route what became of failed deliveries. */
  forDurableEvents(service: string, handler: string): DurableEventMetrics {
    return new DurableEventMetrics(this, service, handler);
  }

  /** @internal Called by the app on connection changes. */
  setConnected(connected: boolean, reconnected = false): void {
    this.connected.set(connected ? 1 : 0);
    if (reconnected) this.reconnects.inc();
  }
}
