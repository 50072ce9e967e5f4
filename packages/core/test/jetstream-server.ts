import { connect, type NatsConnection } from 'nats';
import { createApp, type App, type Constructor, type JetStreamOptions } from '@natsmesh/core';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { quietLogger } from './quiet-logger';

/** A JetStream server and a plain connection for one describe block, and a quiet app booter. */
export interface JetStreamFixture {
  readonly server: NatsServerHandle;
  readonly nc: NatsConnection;
  /** createApp on the fixture's server, quiet, without discovery. */
  boot(services: readonly Constructor[], jetstream?: JetStreamOptions): Promise<App>;
}

/** Starts the server before the block's tests and stops it (and the connection) after them. */
export function useJetStreamServer(): JetStreamFixture {
  let server: NatsServerHandle | undefined;
  let nc: NatsConnection | undefined;
  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    get nc() {
      return nc!;
    },
    boot: (services, jetstream) => createApp({ services, nats: { servers: server!.url }, logger: quietLogger(), discovery: false, jetstream }),
  };
}
