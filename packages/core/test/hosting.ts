import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle, type StartNatsServerOptions } from '@natsmesh/testing';
import { createApp, createClient, type App, type Constructor, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

/** One app hosting `services` on its own nats-server, a client (3 s timeout) and a raw connection; the app's log lines go to `logs`. */
export function hosting(services: Constructor[], options: { server?: StartNatsServerOptions; discovery?: false; logs?: Record<string, unknown>[] } = {}) {
  const h = {} as { server: NatsServerHandle; app: App; client: MeshClient; nc: NatsConnection };
  beforeAll(async () => {
    h.server = await startNatsServer(options.server);
    h.app = await createApp({ services, nats: { servers: h.server.url }, logger: quietLogger(options.logs), discovery: options.discovery });
    await h.app.start();
    h.client = await createClient({ nats: { servers: h.server.url }, timeout: 3000 });
    h.nc = await connect({ servers: h.server.url });
  });
  afterAll(async () => {
    await h.nc?.close();
    await h.client?.close();
    await h.app?.stop();
    await h.server?.stop();
  });
  return h;
}
