/** How a JetStream stream that natsmesh creates is kept. */
export interface StreamOptions {
  /** Stream name (`[A-Za-z0-9_-]`). */
  readonly name: string;
  /** Subjects the stream stores; none may overlap a request subject (an endpoint, `_INBOX.>`, `$SRV.>`). */
  readonly subjects?: readonly string[];
  /** `limits` (default: kept until a limit is hit), `interest` (kept while a consumer still needs it) or `workqueue`. */
  readonly retention?: 'limits' | 'interest' | 'workqueue';
  /** `file` (default) or `memory`. */
  readonly storage?: 'file' | 'memory';
  /** Oldest message age in ms before it is removed; default 7 days. */
  readonly maxAge?: number;
  /** Most messages kept; default unlimited. */
  readonly maxMsgs?: number;
  /** Most bytes kept; default unlimited. */
  readonly maxBytes?: number;
  /** Copies in a JetStream cluster (1–5); default 1. */
  readonly replicas?: number;
  /** Window in ms in which a repeated `Nats-Msg-Id` is dropped; default 2 minutes. */
  readonly duplicateWindow?: number;
}

/** JetStream settings of an app (`createApp({ jetstream })`). */
export interface JetStreamOptions {
  /**
   * Streams the app creates at start when missing (and checks when present). A durable `@On`
   * uses the stream its `stream` option names, else the first one here whose subjects cover its
   * pattern, else `NATSMESH_<first token>` over exactly the durable patterns of that token, with the defaults above.
   */
  readonly streams?: readonly StreamOptions[];
  /** JetStream domain, for leaf-node setups. */
  readonly domain?: string;
}
