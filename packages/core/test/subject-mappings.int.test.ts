import 'reflect-metadata';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, renderSubjectMappings, Service, type App, type Context, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { until } from './until';

@Service('rt.map', { version: '1.0.0' })
class MapV1 {
  @Handle('who')
  who(_input: unknown, ctx: Context) {
    return { version: '1.0.0', instance: ctx.instanceId };
  }
}

@Service('rt.map', { version: '2.0.0-beta.1' })
class MapV2 {
  @Handle('who')
  who(_input: unknown, ctx: Context) {
    return { version: '2.0.0-beta.1', instance: ctx.instanceId };
  }
}

describe('renderSubjectMappings on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection | undefined;
  let client: MeshClient | undefined;
  const apps: App[] = [];

  afterAll(async () => {
    await nc?.close();
    await client?.close();
    await Promise.all(apps.map((a) => a.stop()));
    await server?.stop();
  });

  it('makes the server split plain NATS requests by the route weights, over the instances of each version', async () => {
    // The descriptions the CLI would gather from discovery, here taken from a first server's registry.
    const discovery = await startNatsServer();
    const describing = await Promise.all([MapV1, MapV2].map((s) => createApp({ services: [s], nats: { servers: discovery.url }, logger: quietLogger() })));
    for (const a of describing) await a.start();
    const look = await createClient({ nats: { servers: discovery.url } });
    const registry = await look.registry();
    await until(() => registry.instances('rt.map').length === 2, 'both versions in the registry');
    const descriptions = registry.instances('rt.map').flatMap((s) => s.info.services);
    await look.close();
    await Promise.all(describing.map((a) => a.stop()));
    await discovery.stop();

    const rendered = renderSubjectMappings({ routes: [{ service: 'rt.map', weights: { '1.0.0': 80, '2.0.0-beta.1': 20 } }] }, descriptions);
    expect(rendered.mappings).toEqual({
      'rt.map.who': [
        { destination: '$NATSMESH.V.1_0_0.rt.map.who', weight: 80 },
        { destination: '$NATSMESH.V.2_0_0-beta_1.rt.map.who', weight: 20 },
      ],
    });
    server = await startNatsServer({ config: rendered.config });
    for (const [service, id] of [[MapV1, 'v1-a'], [MapV1, 'v1-b'], [MapV2, 'v2-a'], [MapV2, 'v2-b']] as const) {
      const app = await createApp({ services: [service], nats: { servers: server.url }, instance: { id }, logger: quietLogger() });
      await app.start();
      apps.push(app);
    }
    nc = await connect({ servers: server.url });
    const jc = JSONCodec<{ version: string; instance: string }>();
    const byVersion = new Map<string, number>();
    const byInstance = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const reply = jc.decode((await nc.request('rt.map.who', jc.encode({ version: '', instance: '' }), { timeout: 2000 })).data);
      byVersion.set(reply.version, (byVersion.get(reply.version) ?? 0) + 1);
      byInstance.set(reply.instance, (byInstance.get(reply.instance) ?? 0) + 1);
    }
    const share = (byVersion.get('2.0.0-beta.1') ?? 0) / 2000;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect((byVersion.get('1.0.0') ?? 0) + (byVersion.get('2.0.0-beta.1') ?? 0)).toBe(2000);
    for (const id of ['v1-a', 'v1-b', 'v2-a', 'v2-b']) expect(byInstance.get(id) ?? 0).toBeGreaterThan(0);
  });
});
