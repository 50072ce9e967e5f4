/** A running nats-server started by {@link startNatsServer} or as a member of {@link startNatsCluster}. */
export interface NatsServerHandle {
  /** Client URL, e.g. `nats://127.0.0.1:43125`. */
  readonly url: string;
  /** Client port; the same after {@link NatsServerHandle.restart}. */
  readonly port: number;
  /** `127.0.0.1` for a local nats-server; the Docker host for a testcontainers fallback. */
  readonly host: string;
  /** Pid of the nats-server process (changes on restart); `NaN` for a container. */
  readonly pid: number;
  /** JetStream store directory when started with `jetstream: true`; kept across restarts, removed by stop(). */
  readonly storeDir?: string;
  /** Sends SIGTERM, waits for exit (SIGKILL after 5 s), removes temp files. Idempotent. */
  stop(): Promise<void>;
  /** Ends the server abruptly, SIGKILL by default, without cleanup: simulates a crash. */
  kill(signal?: NodeJS.Signals): void;
  /** Stops (if running) and starts the server again on the same port with the same store dir. */
  restart(): Promise<void>;
}
