import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createAdmin, createApp, createClient, createLogger, Handle, Service, type App, type Context, type MeshAdmin, type MeshClient } from '@natsmesh/core';
import { natsmesh } from './run-natsmesh';

interface Reply {
  version: string;
  instance: string;
}

@Service('ex.echo', { version: '1.0.0' })
class EchoV1 {
  @Handle('who')
  who(_input: unknown, ctx: Context): Reply {
    return { version: '1.0.0', instance: ctx.instanceId };
  }

  @Handle('ping')
  ping() {
    return { pong: true };
  }
}

@Service('ex.echo', { version: '2.0.0' })
class EchoV2 {
  @Handle('who')
  who(_input: unknown, ctx: Context): Reply {
    return { version: '2.0.0', instance: ctx.instanceId };
  }

  @Handle('ping')
  ping() {
    return { pong: true };
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const silent = () => createLogger({ level: 'silent' });

describe('natsmesh route export and mirror status against real servers', () => {
  let server: NatsServerHandle;
  let admin: MeshAdmin;
  let s: string[];
  const apps: App[] = [];

  const boot = async (url: string, service: typeof EchoV1 | typeof EchoV2, id: string) => {
    const app = await createApp({ services: [service], nats: { servers: url }, instance: { id }, logger: silent() });
    await app.start();
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    admin = await createAdmin({ nats: { servers: server.url }, warnings: false });
    await boot(server.url, EchoV1, 'a-v1');
    await boot(server.url, EchoV2, 'a-v2');
    s = ['--server', server.url];
  });

  afterEach(async () => {
    await admin.apply({ routes: [], mirrors: [], faults: [], canaries: [] }, { prune: true });
  });

  afterAll(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await admin?.close();
    await server?.stop();
  });

  describe('route export', () => {
    let mapped: NatsServerHandle | undefined;
    let nc: NatsConnection | undefined;
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'natsmesh-export-'));
    });

    afterAll(async () => {
      await nc?.close();
      await Promise.all(apps.splice(2).map((a) => a.stop()));
      await mapped?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints the routes in force as a mappings block, the notes on stderr; a server started with it splits plain NATS requests by the weights', async () => {
      await admin.routes.set({ service: 'ex.echo', match: [{ headers: { 'x-canary': '1' }, version: '2.0.0' }], weights: { '1.0.0': 90, '2.0.0': 10 } });
      await admin.routes.set({ service: 'ex.gone', weights: { '1.0.0': 100 } });

      const printed = await natsmesh('route', 'export', '--live', ...s);
      expect(printed.code).toBe(0);
      expect(printed.out).toBe(
        [
          'mappings {',
          '  "ex.echo.ping": [',
          '    { destination: "$NATSMESH.V.1_0_0.ex.echo.ping", weight: 90% }',
          '    { destination: "$NATSMESH.V.2_0_0.ex.echo.ping", weight: 10% }',
          '  ]',
          '  "ex.echo.who": [',
          '    { destination: "$NATSMESH.V.1_0_0.ex.echo.who", weight: 90% }',
          '    { destination: "$NATSMESH.V.2_0_0.ex.echo.who", weight: 10% }',
          '  ]',
          '}',
          '',
        ].join('\n'),
      );
      const notes = printed.err.trimEnd().split('\n');
      expect(notes).toEqual([
        expect.stringMatching(/^Note: ex\.echo: its 1 match rule\(s\) \(headers, caller\) are not mappings/),
        expect.stringMatching(/^Note: ex\.gone: no description of this service was given/),
      ]);

      const file = join(dir, 'mappings.conf');
      const written = await natsmesh('route', 'export', '--live', '--service', 'ex.echo', '--out', file, ...s);
      expect(written).toMatchObject({ code: 0, out: `Wrote the mappings of 2 subject(s) to ${file}: include it in the nats-server config (top level, or the services' account).\n` });
      const config = readFileSync(file, 'utf8');
      expect(config).toBe(printed.out);

      // Plain queue-group callers on a server started with the block: about 10% reach 2.0.0.
      mapped = await startNatsServer({ config });
      for (const [service, id] of [[EchoV1, 'b-v1-a'], [EchoV1, 'b-v1-b'], [EchoV2, 'b-v2-a']] as const) await boot(mapped.url, service, id);
      nc = await connect({ servers: mapped.url });
      const jc = JSONCodec<Reply>();
      const byVersion = new Map<string, number>();
      for (let i = 0; i < 2000; i++) {
        const reply = jc.decode((await nc.request('ex.echo.who', jc.encode({ version: '', instance: '' }), { timeout: 2000 })).data);
        byVersion.set(reply.version, (byVersion.get(reply.version) ?? 0) + 1);
      }
      expect((byVersion.get('1.0.0') ?? 0) + (byVersion.get('2.0.0') ?? 0)).toBe(2000);
      // 200 expected; the binomial spread is ±13, so ±80 never fails by chance.
      expect(byVersion.get('2.0.0')).toBeGreaterThan(120);
      expect(byVersion.get('2.0.0')).toBeLessThan(280);
    });

    it('--json gives the mappings and notes; no route in force, or none for --service, is NOT_FOUND; a source is required', async () => {
      expect(await natsmesh('route', 'export', '--live', ...s)).toMatchObject({ code: 1, err: 'NOT_FOUND: No route rule is in force: natsmesh route set writes one.\n' });
      await admin.routes.set({ service: 'ex.echo', weights: { '1.0.0': 50, '2.0.0': 50 } });
      const json = await natsmesh('route', 'export', '--live', '--json', ...s);
      expect(json).toMatchObject({ code: 0, err: '' });
      expect(JSON.parse(json.out)).toEqual({
        mappings: {
          'ex.echo.ping': [{ destination: '$NATSMESH.V.1_0_0.ex.echo.ping', weight: 50 }, { destination: '$NATSMESH.V.2_0_0.ex.echo.ping', weight: 50 }],
          'ex.echo.who': [{ destination: '$NATSMESH.V.1_0_0.ex.echo.who', weight: 50 }, { destination: '$NATSMESH.V.2_0_0.ex.echo.who', weight: 50 }],
        },
        notes: [],
        config: expect.stringMatching(/^mappings \{\n/),
      });
      expect(await natsmesh('route', 'export', '--live', '--service', 'hotel.spa', ...s)).toMatchObject({ code: 1, err: expect.stringMatching(/^NOT_FOUND: No route rule for hotel\.spa/) });
      expect(await natsmesh('route', 'export', ...s)).toMatchObject({ code: 2, err: expect.stringMatching(/route export needs a source: --scan/) });

      await admin.routes.set({ service: 'ex.echo', match: [{ caller: 'web', version: '2.0.0' }] });
      const unmappable = await natsmesh('route', 'export', '--live', ...s);
      expect(unmappable).toMatchObject({ code: 1, out: '' });
      expect(unmappable.err).toMatch(/^Note: ex\.echo: its 1 match rule\(s\).*\nNOT_FOUND: No route in force could be written as mappings/s);
    });
  });

  describe('mirror status', () => {
    let client: MeshClient | undefined;

    afterAll(async () => {
      await client?.close();
    });

    it('sums the copies the clients mirrored per subject and version, with outcomes, compare results and times; --json too', async () => {
      expect(await natsmesh('mirror', 'status', ...s)).toMatchObject({ code: 0, out: expect.stringMatching(/^No mirrored copies reported/) });

      await admin.routes.set({ service: 'ex.echo', weights: { '1.0.0': 100 } });
      await admin.mirrors.set({ service: 'ex.echo', version: '2.0.0', percent: 100, compare: true });
      client = await createClient({ nats: { servers: server.url }, name: 'ex.caller', logger: silent() });
      const registry = await client.registry();
      await until(() => registry.instances('ex.echo').length === 2, 'both versions in the registry');
      await until(() => client!.rules.current().mirrors.length === 1, 'the mirror rule in the client');
      for (let i = 0; i < 20; i++) expect(await client.request<Reply>('ex.echo.who', {})).toMatchObject({ version: '1.0.0' });
      for (let i = 0; i < 10; i++) await client.request('ex.echo.ping', {});

      const status = async () => JSON.parse((await natsmesh('mirror', 'status', '--json', ...s)).out) as { mirrors: { sent: number }[]; clients: { client?: string }[] };
      await until(async () => (await status()).mirrors.reduce((n, m) => n + m.sent, 0) === 30, 'the 30 copies answered');

      const json = await status();
      expect(json.mirrors).toEqual([
        { subject: 'ex.echo.ping', version: '2.0.0', clients: 1, sent: 10, outcomes: { EQUAL: 10 }, meanMs: expect.any(Number), maxMs: expect.any(Number) },
        { subject: 'ex.echo.who', version: '2.0.0', clients: 1, sent: 20, outcomes: { DIFFERENT: 20 }, meanMs: expect.any(Number), maxMs: expect.any(Number) },
      ]);
      expect(json.clients.map((c) => c.client)).toContain('ex.caller');

      const text = await natsmesh('mirror', 'status', ...s);
      expect(text).toMatchObject({ code: 0, err: '' });
      expect(text.out).toMatch(
        /^SUBJECT\s+VERSION\s+CLIENTS\s+SENT\s+OUTCOMES\s+MEAN\s+MAX\nex\.echo\.ping\s+2\.0\.0\s+1\s+10\s+EQUAL=10\s+[\d.]+ ms\s+[\d.]+ ms\nex\.echo\.who\s+2\.0\.0\s+1\s+20\s+DIFFERENT=20\s+[\d.]+ ms\s+[\d.]+ ms\n$/,
      );
    });
  });
});
