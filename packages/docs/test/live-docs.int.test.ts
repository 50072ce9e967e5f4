import { connect, type NatsConnection } from 'nats';
import { createLogger, DISCOVER_SUBJECT, gather, type App, type InstanceInfo } from '@natsmesh/core';
import { renderDocs } from '@natsmesh/docs';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createHotelApp } from '../../../examples/hotel/src/hotel-app';
import { hotelDescriptions } from './hotel-descriptions';

const OPTIONS = { title: 'Hotel services', server: 'nats://localhost:4222' };

describe('docs from a running mesh', () => {
  let server: NatsServerHandle;
  let apps: App[] = [];
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    // Two instances: discovery answers twice, the docs must not change.
    for (const id of ['hotel-a', 'hotel-b']) {
      const app = await createHotelApp({ nats: { servers: server.url }, instance: id, logger: createLogger({ level: 'silent' }) });
      await app.start();
      apps.push(app);
    }
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    for (const app of apps) await app.stop();
    apps = [];
    await server?.stop();
  });

  it('are byte-identical to the docs generated from the code', async () => {
    const instances = await gather<InstanceInfo>(nc, DISCOVER_SUBJECT, { maxWait: 2000 });
    expect(instances.map((i) => i.id).sort()).toEqual(['hotel-a', 'hotel-b']);
    const live = instances.flatMap((i) => i.services);
    expect(live).toHaveLength(12);
    expect(renderDocs(live, OPTIONS)).toEqual(renderDocs(hotelDescriptions(), OPTIONS));
  });
});
