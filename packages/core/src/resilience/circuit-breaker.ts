import { SlidingCounts } from './sliding-counts';
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
  /** Calls and failures over the window. */
  private readonly window: SlidingCounts;

  constructor(
    readonly subject: string,
    options: BreakerOptions,
    private readonly onChange: (event: CircuitEvent) => void,
  ) {
    this.maxConsecutive = options.consecutiveFailures ?? 5;
    this.ratio = options.failureRatio ?? 0.5;
    this.minCalls = options.minCalls ?? 20;
    this.halfOpenAfter = options.halfOpenAfter ?? 5000;
    this.window = new SlidingCounts(options.window ?? 10_000);
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
    const [calls, failures] = this.window.totals();
    if (calls >= this.minCalls && failures / calls >= this.ratio) this.open();
  }

  private open(): void {
    this.openedAt = Date.now();
    this.move('open');
  }

  private reset(): void {
    this.consecutive = 0;
    this.window.clear();
  }

  private move(state: CircuitState): void {
    const previous = this.state;
    if (previous === state) return;
    this.state = state;
    this.onChange({ subject: this.subject, state, previous });
  }

  private count(failed: boolean): void {
    this.window.add(1, failed ? 1 : 0);
  }
}
