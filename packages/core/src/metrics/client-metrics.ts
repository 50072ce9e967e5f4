import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DIRECT_PREFIX } from '../discovery/discovery-subjects';
import { MeshError } from '../errors/mesh-error';
import type { Middleware } from '../middleware/middleware';
import type { CircuitEvent, CircuitState } from '../resilience/circuit-breaker';
import { CallMetrics, codeOf, seconds } from './call-metrics.middleware';
import { loadPromClient } from './load-prom-client';
import { DURATION_BUCKETS } from './duration-buckets';
import { Tallies } from './tally';
import { CodeTallies, CodeWarnings } from './code-label';
import { RoutingMetrics } from './routing-metrics';
import type { CountFault } from '../control/fault-decision';

/**
 * Most distinct `subject` label values a registry's client metrics take; calls to further
 * subjects count under `subject="other"` (and a warning says so, once). Callers may put ids in
 * subjects: this keeps the number of series bounded.
 */
export const CLIENT_SUBJECT_LIMIT = 500;

/** The `subject` label of calls past {@link CLIENT_SUBJECT_LIMIT}. */
export const OTHER_SUBJECT = 'other';

/** Value of `natsmesh_client_circuit_state` per circuit state. */
export const CIRCUIT_STATE_VALUES: Readonly<Record<CircuitState, number>> = Object.freeze({ closed: 0, 'half-open': 1, open: 2 });

type CounterChild = ReturnType<Counter<string>['labels']>;
type HistogramChild = ReturnType<Histogram<string>['labels']>;

/** What the client's built-in policies report: only they know of retries and refusals. */
export interface PolicyObserver {
  /** A call to `subject` is about to be retried (after its backoff). */
  retried(subject: string): void;
  /** The client's own rate limit refused an attempt on `subject`. */
  throttled(subject: string): void;
}

/** The circuits of one client: `[breaker subject, state]`, read at scrape time. */
export type CircuitSource = () => Iterable<readonly [string, CircuitState]>;

const shared = new WeakMap<Registry, ClientMetrics>();

/**
 * The client metrics of one prom-client registry (`natsmesh_client_*`), shared by every client
 * that counts into it (the app's client, `createClient({ metrics })`): prom-client refuses a
 * metric name twice in a registry, and the subject cap holds for the registry as a whole.
 */
export class ClientMetrics implements PolicyObserver {
  /** @internal The series of `natsmesh_client_requests_total`. */
  readonly requests = new Tallies();
  /** @internal */ readonly duration: Histogram<'subject'>;
  private readonly retries: Counter<'subject'>;
  private readonly throttles: Counter<'subject'>;
  private readonly transitions: Counter<'subject' | 'state'>;
  private readonly faults: Counter<'subject' | 'fault' | 'kind'>;
  private readonly series = new Map<string, SubjectSeries>();
  private other: SubjectSeries | undefined;
  private readonly circuits = new Set<CircuitSource>();
  /** @internal */ readonly codeWarnings: CodeWarnings;
  /** The built-in `call` middleware counting each call, outermost. */
  readonly middleware: Middleware;
  private routingMetrics: RoutingMetrics | undefined;

  /**
   * The client metrics of `registry`, made (and registered in it) on first use.
   *
   * @throws MeshError `INVALID_OPTIONS` when the registry already holds a `natsmesh_client_*` metric made elsewhere.
   */
  static of(registry: Registry, warn: (message: string) => void): ClientMetrics {
    let metrics = shared.get(registry);
    if (metrics === undefined) shared.set(registry, (metrics = new ClientMetrics(registry, warn)));
    return metrics;
  }

  private constructor(
    readonly registry: Registry,
    private readonly warn: (message: string) => void,
  ) {
    this.codeWarnings = new CodeWarnings('natsmesh_client_requests_total', warn);
    const prom = loadPromClient();
    const registers = [registry];
    try {
      this.requests.of(
        new prom.Counter({
          name: 'natsmesh_client_requests_total',
          help: 'Requests made by this process as the caller saw them (retries included in one), by subject called and code: OK or the MeshError code it got.',
          labelNames: ['subject', 'code'],
          registers,
          collect: () => this.requests.flush(),
        }),
      );
      this.duration = new prom.Histogram({
        name: 'natsmesh_client_request_duration_seconds',
        help: 'Time from a request being made to its answer or failure, retries and backoff included, seconds.',
        labelNames: ['subject'],
        buckets: [...DURATION_BUCKETS],
        registers,
      });
      this.retries = new prom.Counter({ name: 'natsmesh_client_retries_total', help: 'Attempts repeated by the retry policy (not counting the first attempt of a call).', labelNames: ['subject'], registers });
      this.throttles = new prom.Counter({
        name: 'natsmesh_client_throttled_total',
        help: "Attempts refused by this client's own rate limit (resilience.throttle) with RATE_LIMITED, before anything was sent.",
        labelNames: ['subject'],
        registers,
      });
      const circuitState: Gauge<'subject'> = new prom.Gauge({
        name: 'natsmesh_client_circuit_state',
        help: 'State of the circuit breaker of a subject: 0 closed, 1 half-open, 2 open (the worst of its per-instance circuits with client-side balancing).',
        labelNames: ['subject'],
        registers,
        collect: (): void => this.collectCircuits(circuitState),
      });
      this.transitions = new prom.Counter({
        name: 'natsmesh_client_circuit_transitions_total',
        help: 'Circuit breaker state changes, by subject and the state entered (open, half-open, closed).',
        labelNames: ['subject', 'state'],
        registers,
      });
      this.faults = new prom.Counter({
        name: 'natsmesh_client_faults_injected_total',
        help: "Client-side faults of the control plane (where: 'client') injected by this process into its calls, by subject called, fault name and kind (delay or abort); counted per attempt.",
        labelNames: ['subject', 'fault', 'kind'],
        registers,
      });
    } catch (err) {
      throw new MeshError(
        'INVALID_OPTIONS',
        `Cannot register the natsmesh client metrics: ${(err as Error).message}. The registry holds natsmesh_client_* metrics made by another copy of natsmesh: pass a registry of its own.`,
        undefined,
        { cause: err },
      );
    }
    this.middleware = new CallMetrics(this);
  }

  /** @internal The series of a subject called; past the cap, those of `subject="other"`. */
  seriesOf(subject: string): SubjectSeries {
    const known = this.series.get(subject);
    if (known !== undefined) return known;
    if (this.series.size < CLIENT_SUBJECT_LIMIT) {
      const made = new SubjectSeries(this, subject);
      this.series.set(subject, made);
      return made;
    }
    if (this.other === undefined) {
      this.other = new SubjectSeries(this, OTHER_SUBJECT);
      this.warn(
        `natsmesh client metrics: more than ${CLIENT_SUBJECT_LIMIT} subjects were called; calls to further subjects (first: "${subject}") count under subject="${OTHER_SUBJECT}". ` +
          'Put ids in the payload or headers rather than in subjects.',
      );
    }
    return this.other;
  }

  /** Counts and times a call sent without a pipeline (metrics being its only built-in layer), started at `started` (performance.now()). */
  timed<T>(subject: string, started: number, sent: Promise<T>): Promise<T> {
    const series = this.seriesOf(subject);
    return sent.then(
      (value) => {
        series.done('OK', seconds(started));
        return value;
      },
      (err: unknown) => {
        series.done(codeOf(err), seconds(started));
        throw err;
      },
    );
  }

  /** @internal The mirror and route series, registered on first use; their `subject` label is capped as the others are. */
  routing(): RoutingMetrics {
    return (this.routingMetrics ??= new RoutingMetrics(this.registry));
  }

  /** @internal The `subject` label of calls to `subject` (`other` past the cap). */
  labelOf(subject: string): string {
    return this.seriesOf(subject).label;
  }

  retried(subject: string): void {
    this.seriesOf(subject).retries().inc();
  }

  throttled(subject: string): void {
    this.seriesOf(subject).throttles().inc();
  }

  /** Counts the client-side faults injected into calls to `subject` (`natsmesh_client_faults_injected_total`). */
  forFaults(subject: string): CountFault {
    const label = this.seriesOf(subject).label;
    return (fault, kind) => this.faults.labels(label, fault, kind).inc();
  }

  /** @internal Counts a circuit's change of state, under the subject called (not the instance-addressed one). */
  circuitChanged(event: CircuitEvent): void {
    this.transitions.labels(this.seriesOf(calledSubject(event.subject)).label, event.state).inc();
  }

  /** @internal Adds a client's circuits to `natsmesh_client_circuit_state`; returns how to take them out. */
  addCircuits(source: CircuitSource): () => void {
    this.circuits.add(source);
    return () => this.circuits.delete(source);
  }

  /** @internal */ counter(kind: 'retries' | 'throttles'): Counter<'subject'> {
    return kind === 'retries' ? this.retries : this.throttles;
  }

  private collectCircuits(gauge: Gauge<'subject'>): void {
    const worst = new Map<string, number>();
    for (const source of this.circuits) {
      for (const [subject, state] of source()) {
        const label = this.seriesOf(calledSubject(subject)).label;
        worst.set(label, Math.max(worst.get(label) ?? 0, CIRCUIT_STATE_VALUES[state]));
      }
    }
    gauge.reset();
    for (const [label, value] of worst) gauge.labels(label).set(value);
  }
}

/** The label children of one subject, made on first use. */
export class SubjectSeries {
  readonly duration: HistogramChild;
  private readonly codes: CodeTallies;
  private retryChild: CounterChild | undefined;
  private throttleChild: CounterChild | undefined;

  constructor(
    private readonly metrics: ClientMetrics,
    readonly label: string,
  ) {
    this.duration = metrics.duration.labels(label);
    this.codes = new CodeTallies((code) => metrics.requests.tally({ subject: label, code }), metrics.codeWarnings, `subject "${label}"`);
  }

  /** Counts one call that ended with `code` (bounded: see {@link CodeTallies}), taking `seconds`. */
  done(code: string, seconds: number): void {
    this.duration.observe(seconds);
    this.codes.of(code).inc();
  }

  retries(): CounterChild {
    return (this.retryChild ??= this.metrics.counter('retries').labels(this.label));
  }

  throttles(): CounterChild {
    return (this.throttleChild ??= this.metrics.counter('throttles').labels(this.label));
  }
}

/** The subject a caller called, from a breaker's subject: `$NATSMESH.I.<id>.<subject>` → `<subject>`. */
function calledSubject(subject: string): string {
  if (!subject.startsWith(`${DIRECT_PREFIX}.`)) return subject;
  const id = subject.indexOf('.', DIRECT_PREFIX.length + 1);
  return id < 0 ? subject : subject.slice(id + 1);
}
