/** Files a client passes as nats.js `tls` to a server started with `tls`: `{ servers: server.url, tls: server.tls }`. */
export interface NatsServerTlsFiles {
  /** PEM of the throwaway CA that signed the server's certificate (and the client's). */
  readonly caFile: string;
  /** PEM of a client certificate signed by the CA, which a server started with `verify: true` accepts. */
  readonly certFile: string;
  /** PEM of that client certificate's private key (mode 0600). */
  readonly keyFile: string;
}

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
  /** The CA and client certificate files when started with `tls`; removed by stop(). */
  readonly tls?: NatsServerTlsFiles;
  /** Sends SIGTERM, waits for exit (SIGKILL after 5 s), removes temp files. Idempotent. */
  stop(): Promise<void>;
  /** Ends the server abruptly, SIGKILL by default, without cleanup: simulates a crash. */
  kill(signal?: NodeJS.Signals): void;
  /** Stops (if running) and starts the server again on the same port with the same store dir. */
  restart(): Promise<void>;
}
