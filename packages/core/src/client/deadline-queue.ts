import { MAX_TIMER_MS } from '../options/check-millis';

/** Something with a deadline that the queue expires unless it settles first. */
export interface Expirable {
  /** Epoch ms after which it expires. */
  readonly deadline: number;
  /** Set once the request got its answer; the queue then just drops it. */
  settled: boolean;
}

// Entries with the same timeout arrive in deadline order, so each timeout value gets a FIFO lane
// and only lane heads are ever compared: O(1) per request instead of a heap or a timer each.
class Lane<T extends Expirable> {
  private items: (T | undefined)[] = [];
  private head = 0;

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  dropSettled(): void {
    let item = this.peek();
    while (item !== undefined && item.settled) {
      this.shift();
      item = this.peek();
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }
}

/**
 * Expires requests with one timer for all of them. `track` costs an array push; the timer
 * is re-armed only when the earliest deadline changes.
 */
export class DeadlineQueue<T extends Expirable> {
  private readonly lanes = new Map<number, Lane<T>>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private readonly onTimer = (): void => this.expire();

  constructor(private readonly onExpire: (item: T) => void) {}

  /** Tracks an item that was created with `deadline = now + timeout`. */
  track(item: T, timeout: number): Lane<T> {
    let lane = this.lanes.get(timeout);
    if (!lane) {
      lane = new Lane<T>();
      this.lanes.set(timeout, lane);
    }
    lane.push(item);
    if (item.deadline < this.armedFor) this.arm(item.deadline);
    return lane;
  }

  /** Marks an item settled and frees the lane's settled head entries. */
  settle(item: T, lane: Lane<T>): void {
    item.settled = true;
    lane.dropSettled();
  }

  /** Stops the timer; tracked items are forgotten. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.lanes.clear();
  }

  private arm(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = deadline;
    // Unref'd: the NATS socket keeps a process with requests in flight alive, not this timer.
    // Capped: a longer delay would fire after 1 ms and re-arm forever.
    this.timer = setTimeout(this.onTimer, Math.min(MAX_TIMER_MS, Math.max(0, deadline - Date.now()))).unref();
  }

  private expire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [timeout, lane] of this.lanes) {
      let item = lane.peek();
      while (item !== undefined && (item.settled || item.deadline <= now)) {
        lane.shift();
        if (!item.settled) {
          item.settled = true;
          this.onExpire(item);
        }
        item = lane.peek();
      }
      if (item === undefined) this.lanes.delete(timeout);
      else if (item.deadline < next) next = item.deadline;
    }
    if (next !== Infinity) this.arm(next);
  }
}

export type { Lane };
