/** One framework (or raw nats.js usage) under test: which service and which caller it runs. */
export interface Contender {
  readonly id: string;
  readonly label: string;
  /** Module key in service-host. */
  readonly service: string;
  /** Module key in caller-host. */
  readonly caller: string;
  /** False where the events figure would just repeat raw publish/subscribe. */
  readonly events: boolean;
}

/** Every contender, the baseline (raw `nc.request`) first. */
export const CONTENDERS: readonly Contender[] = [
  { id: 'raw', label: 'raw nats.js `nc.request`', service: 'raw', caller: 'raw', events: true },
  { id: 'raw-no-traces', label: 'raw nats.js, `noAsyncTraces: true`', service: 'raw', caller: 'raw-no-traces', events: false },
  { id: 'mux', label: 'bare muxed nats.js caller (ceiling)', service: 'raw', caller: 'mux', events: false },
  { id: 'moleculer', label: 'Moleculer 0.15 (NATS transporter)', service: 'moleculer', caller: 'moleculer', events: true },
  { id: 'moleculer-metrics', label: 'Moleculer 0.15, built-in metrics + Prometheus reporter', service: 'moleculer-metrics', caller: 'moleculer-metrics', events: true },
  { id: 'nest', label: 'NestJS 11 microservices (NATS)', service: 'nest', caller: 'nest', events: true },
  { id: 'natsmesh', label: 'natsmesh (`input: unknown`)', service: 'natsmesh', caller: 'natsmesh', events: true },
  { id: 'natsmesh-dto', label: 'natsmesh, DTO validation + defaults', service: 'natsmesh-dto', caller: 'natsmesh', events: true },
  { id: 'natsmesh-mw', label: 'natsmesh, 3 no-op middleware on the endpoint + 3 on the client', service: 'natsmesh-mw', caller: 'natsmesh-mw', events: true },
  { id: 'natsmesh-metrics', label: 'natsmesh, Prometheus metrics on (service and client)', service: 'natsmesh-metrics', caller: 'natsmesh-metrics', events: true },
  { id: 'natsmesh-identity', label: 'natsmesh, signed caller identity (client signs, service verifies)', service: 'natsmesh-identity', caller: 'natsmesh-identity', events: false },
  { id: 'natsmesh-otel', label: 'natsmesh, metrics + OpenTelemetry tracing (SDK, batch, in-memory exporter)', service: 'natsmesh-otel', caller: 'natsmesh-otel', events: true },
  { id: 'natsmesh-versions', label: 'natsmesh, the same two versions, no rule (queue group over both)', service: 'natsmesh-route', caller: 'natsmesh', events: false },
  { id: 'natsmesh-route', label: 'natsmesh, a route rule in force (90% to 1.0.0, 10% to 2.0.0, one instance each)', service: 'natsmesh-route', caller: 'natsmesh-route', events: false },
  { id: 'natsmesh-route-even', label: 'natsmesh, a 50/50 route rule in force over the same two versions', service: 'natsmesh-route', caller: 'natsmesh-route-even', events: false },
  { id: 'natsmesh-pinned', label: 'natsmesh, the same two versions, every request routed to 1.0.0 (2.0.0 in its own process; baseline of natsmesh-mirror)', service: 'natsmesh-route-split', caller: 'natsmesh-pinned', events: false },
  { id: 'natsmesh-mirror', label: 'natsmesh, every request routed to 1.0.0 and 50% copied to 2.0.0 (a mirror rule)', service: 'natsmesh-route-split', caller: 'natsmesh-mirror', events: false },
  { id: 'natsmesh-acl', label: 'natsmesh, connected as the NATS users `natsmesh acl` generates (permissions checked by nats-server)', service: 'natsmesh-acl', caller: 'natsmesh-acl', events: true },
];
