/** A contender's service, started in its own process. */
export interface RunningService {
  stop(): Promise<void>;
}

/** Starts a contender's echo endpoint and event subscriber; `onEvent` is called once per event. */
export type StartService = (url: string, onEvent: () => void) => Promise<RunningService>;
