/** A contender's client: one request or one event of the shared payload. */
export interface Caller {
  /** Sends the payload, resolves with the decoded reply. */
  request(): Promise<unknown>;
  /** Publishes the payload as an event. */
  emit(): void;
  close(): Promise<void>;
}

/** Connects a contender's client; resolves once requests can be sent. */
export type CreateCaller = (url: string) => Promise<Caller>;
