import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Middleware } from '../middleware/middleware';
import { EventMetrics } from './event-metrics.middleware';
import { loadPromClient } from './load-prom-client';
import { RequestMetrics } from './request-metrics.middleware';

/** Buckets of `natsmesh_request_duration_seconds`, in seconds: 0.5 ms to 10 s. */
export const DURATION_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The metrics of one app, in its own prom-client registry (never the global one: two apps in a
 * process do not mix). Built only when `createApp({ metrics })` is set.
 */
export class MeshMetrics {
  readonly registry: Registry;
  /** @internal */ readonly requests: Counter<'service' | 'endpoint' | 'code'>;
  /** @internal */ readonly duration: Histogram<'service' | 'endpoint'>;
  /** @internal */ readonly inFlight: Gauge<'service' | 'endpoint'>;
  /** @internal */ readonly events: Counter<'service' | 'handler' | 'outcome'>;
  private readonly connected: Gauge;
  private readonly reconnects: Counter;

  constructor(defaultMetrics: boolean) {
    const prom = loadPromClient();
    const registers = [(this.registry = new prom.Registry())];
    this.requests = new prom.Counter({
      name: 'natsmesh_requests_total',
      help: 'Requests handled, by outcome: code is OK or the MeshError code answered (EXPIRED: dropped for its deadline, no reply).',
      labelNames: ['service', 'endpoint', 'code'],
      registers,
    });
    this.duration = new prom.Histogram({
      name: 'natsmesh_request_duration_seconds',
      help: 'Time from a request reaching its endpoint to its answer (or refusal), seconds.',
      labelNames: ['service', 'endpoint'],
      buckets: [...DURATION_BUCKETS],
      registers,
    });
    this.inFlight = new prom.Gauge({ name: 'natsmesh_requests_in_flight', help: 'Requests being handled now.', labelNames: ['service', 'endpoint'], registers });
    this.events = new prom.Counter({
      name: 'natsmesh_events_total',
      help: 'Events delivered to @On handlers (plain and durable), by outcome: handled, failed or refused.',
      labelNames: ['service', 'handler', 'outcome'],
      registers,
    });
    this.connected = new prom.Gauge({ name: 'natsmesh_nats_connected', help: '1 while the app is connected to NATS, else 0.', registers });
    this.reconnects = new prom.Counter({ name: 'natsmesh_nats_reconnects_total', help: 'Times the NATS connection came back after a loss.', registers });
    if (defaultMetrics) prom.collectDefaultMetrics({ register: this.registry });
  }

  /** The built-in `handle` middleware counting the requests of one endpoint. */
  forEndpoint(service: string, endpoint: string): Middleware {
    return new RequestMetrics(this, service, endpoint);
  }

  /** The built-in `event` middleware counting the deliveries to one `@On` handler. */
  forEvents(service: string, handler: string): Middleware {
    return new EventMetrics(this, service, handler);
  }

  /** @internal Called by the app on connection changes. */
  setConnected(connected: boolean, reconnected = false): void {
    this.connected.set(connected ? 1 : 0);
    if (reconnected) this.reconnects.inc();
  }
}
