/** How long and how often each figure is measured. */
export interface BenchSettings {
  readonly mode: 'full' | 'quick';
  /** Rounds over all contenders; each round starts fresh processes. Medians are over rounds. */
  readonly rounds: number;
  readonly sequentialWarmMs: number;
  readonly sequentialMs: number;
  readonly inFlight: number;
  readonly inFlightWarmMs: number;
  readonly inFlightMs: number;
  readonly eventsWarm: number;
  /** At least this many events are counted… */
  readonly events: number;
  /** …and more when the warm-up rate says that `events` would take less than this long. */
  readonly eventsSeconds: number;
  readonly bootRuns: number;
  readonly bootServices: number;
  readonly bootEndpoints: number;
}

export const FULL: BenchSettings = {
  mode: 'full',
  rounds: 5,
  sequentialWarmMs: 400,
  sequentialMs: 1200,
  inFlight: 64,
  inFlightWarmMs: 800,
  inFlightMs: 2000,
  eventsWarm: 20_000,
  events: 100_000,
  eventsSeconds: 1.2,
  bootRuns: 3,
  bootServices: 200,
  bootEndpoints: 5,
};

export const QUICK: BenchSettings = {
  ...FULL,
  mode: 'quick',
  rounds: 1,
  sequentialWarmMs: 200,
  sequentialMs: 600,
  inFlightWarmMs: 400,
  inFlightMs: 1000,
  eventsWarm: 10_000,
  events: 30_000,
  eventsSeconds: 0.4,
  bootRuns: 1,
};
