import type { BreakerOptions } from './resilience-options';

/** State of a circuit: `closed` lets calls through, `open` fails them fast, `half-open` lets one probe through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What `client.on('circuit', listener)` receives when a circuit changes state. */
export interface CircuitEvent {
  /** The subject the circuit guards: an endpoint subject, or an instance-addressed one. */
  readonly subject: string;
  readonly state: CircuitState;
  readonly previous: CircuitState;
}

const BUCKETS = 10;

/**
 * A circuit breaker for one subject. Opens after `consecutiveFailures` failures in a row, or
 * when the failure ratio over a sliding window passes `failureRatio` (with `minCalls` calls at
 * least); after `halfOpenAfter` ms lets one probe through and closes when it succeeds.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private consecutive = 0;
  private openedAt = 0;
  private probing = false;
  private readonly maxConsecutive: number;
  private readonly ratio: number;
  private readonly minCalls: number;
  private readonly halfOpenAfter: number;
  private readonly bucketMs: number;
  private readonly calls = new Array<number>(BUCKETS).fill(0);
  private readonly failures = new Array<number>(BUCKETS).fill(0);
  private bucket = 0;
  private bucketStart = Date.now();

  constructor(
    readonly subject: string,
    options: BreakerOptions,
    private readonly onChange: (event: CircuitEvent) => void,
  ) {
    this.maxConsecutive = options.consecutiveFailures ?? 5;
    this.ratio = options.failureRatio ?? 0.5;
    this.minCalls = options.minCalls ?? 20;
    this.halfOpenAfter = options.halfOpenAfter ?? 5000;
    this.bucketMs = (options.window ?? 10_000) / BUCKETS;
  }

  /** The current state (an open circuit whose wait is over reads `half-open`). */
  get current(): CircuitState {
    if (this.state === 'open' && Date.now() - this.openedAt >= this.halfOpenAfter) return 'half-open';
    return this.state;
  }

  /** True when a call may go out now; in half-open, true for one probe at a time. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (Date.now() - this.openedAt < this.halfOpenAfter) return false;
      this.move('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Records a call that succeeded (or failed in a way that says nothing about the service's health). */
  success(): void {
    this.count(false);
    this.consecutive = 0;
    if (this.state === 'half-open') {
      this.probing = false;
      this.reset();
      this.move('closed');
    }
  }

  /** Records a failed call. */
  failure(): void {
    this.count(true);
    this.consecutive++;
    if (this.state === 'half-open') {
      this.probing = false;
      this.open();
      return;
    }
    if (this.state !== 'closed') return;
    if (this.consecutive >= this.maxConsecutive) return this.open();
    let calls = 0;
    let failures = 0;
    for (let i = 0; i < BUCKETS; i++) {
      calls += this.calls[i];
      failures += this.failures[i];
    }
    if (calls >= this.minCalls && failures / calls >= this.ratio) this.open();
  }

  private open(): void {
    this.openedAt = Date.now();
    this.move('open');
  }

  private reset(): void {
    this.consecutive = 0;
    this.calls.fill(0);
    this.failures.fill(0);
  }

  private move(state: CircuitState): void {
    const previous = this.state;
    if (previous === state) return;
    this.state = state;
    this.onChange({ subject: this.subject, state, previous });
  }

  private count(failed: boolean): void {
    const now = Date.now();
    let steps = Math.floor((now - this.bucketStart) / this.bucketMs);
    if (steps > 0) {
      this.bucketStart += steps * this.bucketMs;
      if (steps > BUCKETS) steps = BUCKETS;
      for (let i = 0; i < steps; i++) {
        this.bucket = (this.bucket + 1) % BUCKETS;
        this.calls[this.bucket] = 0;
        this.failures[this.bucket] = 0;
      }
    }
    this.calls[this.bucket]++;
    if (failed) this.failures[this.bucket]++;
  }
}
