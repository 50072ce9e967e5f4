import { createApp, type AppOptions, type JetStreamOptions } from '@natsmesh/core';
import type { NatsServerHandle } from './nats-server-handle';
import { startNatsServer } from './start-nats-server';

/** Options of {@link createTestApp}: the app's options, minus `nats`, which points at the test server. */
export interface CreateTestAppOptions extends Omit<AppOptions, 'nats' | 'jetstream'> {
  /** A server to use (and leave running on stop); default a fresh one from {@link startNatsServer}. */
  server?: NatsServerHandle;
  /**
   * `true`: start the fresh server with JetStream (ignored when `server` is given). The app's
   * JetStream options (`{ streams }`) also turn it on, and are passed to the app.
   */
  jetstream?: boolean | JetStreamOptions;
  /** Call `app.start()` before resolving (default true); with false, call it yourself. */
  start?: boolean;
}

type App = Awaited<ReturnType<typeof createApp>>;

/** An app wired to a test server, from {@link createTestApp}. */
export interface TestApp {
  /** The app, started unless `start: false` was passed. */
  readonly app: App;
  /** The server the app is connected to. */
  readonly server: NatsServerHandle;
  /** Stops the app (draining in-flight requests), then the server if createTestApp started it. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Creates (and by default starts) a natsmesh app connected to a test nats-server: a fresh one,
 * or `options.server`.
 *
 * @example
 * const { app, stop } = await createTestApp({ services: [BookingService] });
 * await expect(app.client.request('hotel.booking.save', { guest: 'Ann', room: 3 })).resolves.toEqual({ id: 1 });
 * await stop();
 *
 * @throws TestingError from {@link startNatsServer}; `MeshError` from `createApp` or `app.start()`.
 */
export async function createTestApp(options: CreateTestAppOptions): Promise<TestApp> {
  const { server: given, jetstream, start = true, ...appOptions } = options;
  const server = given ?? (await startNatsServer({ jetstream: jetstream !== undefined && jetstream !== false }));
  const stopServer = given ? () => Promise.resolve() : () => server.stop();
  let app: App;
  try {
    app = await createApp({ ...appOptions, jetstream: typeof jetstream === 'object' ? jetstream : undefined, nats: { servers: server.url } });
    if (start) await app.start();
  } catch (err) {
    await stopServer();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    app,
    server,
    stop: () =>
      (stopped ??= (async () => {
        try {
          await app.stop();
        } finally {
          await stopServer();
        }
      })()),
  };
}
