import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle, catchMeshError } from '@natsmesh/testing';
import { createApp, createClient, Handle, On, Service, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { until } from './until';

const got = { save: 0, any: 0, other: 0 };

@Service('audit')
class AuditService {
  @On('audit.save', { queue: true })
  onSave() {
    got.save++;
  }

  @On('audit.*', { queue: true })
  onAny() {
    got.any++;
  }

  @Handle('get')
  get() {
    return { ok: true };
  }
}

/** A second service of the same app whose queued subscription overlaps the first one's subjects. */
@Service('audit.copy')
class AuditCopyService {
  @On('audit.>', { queue: true })
  onAll() {
    got.other++;
  }
}

describe('queue groups never steal messages meant for another subscription', () => {
  let server: NatsServerHandle;
  let client: MeshClient;
  beforeAll(async () => {
    server = await startNatsServer();
    client = await createClient({ nats: { servers: server.url } });
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });
  const boot = (services: (new () => object)[], instance?: string) =>
    createApp({ services, nats: { servers: server.url }, logger: quietLogger(), discovery: false, instance });

  it('gives every overlapping queued subscription and endpoint of an app every message, on two instances', async () => {
    const a = await boot([AuditService, AuditCopyService], 'a');
    const b = await boot([AuditService, AuditCopyService], 'b');
    await a.start();
    await b.start();
    try {
      got.save = got.any = got.other = 0;
      for (let i = 0; i < 40; i++) client.emit('audit.save', { i });
      await client.flush();
      await until(() => got.save >= 40 && got.any >= 40 && got.other >= 40, '40 events in each handler');
      // Each message still reaches one instance per subscription, not one per instance.
      for (let i = 0; i < 40; i++) expect(await client.request('audit.get', {}, { timeout: 2000 })).toEqual({ ok: true });
      // The requests are events to the queued wildcard subscriptions too.
      await until(() => got.any >= 80 && got.other >= 80, 'the requests as events');
      await client.flush();
      expect(got).toEqual({ save: 40, any: 80, other: 80 });
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('shows distinct, deterministic queue groups in describe()', async () => {
    const a = await boot([AuditService, AuditCopyService]);
    const b = await boot([AuditService, AuditCopyService]);
    const queues = (app: typeof a) =>
      app.describe().flatMap((d) => [...d.endpoints.map((e) => `${e.subject} ${e.queue}`), ...d.subscriptions.map((s) => `${s.pattern} ${s.queue}`)]);
    expect(queues(a)).toEqual(queues(b));
    const groups = a.describe().flatMap((d) => [...d.endpoints.map((e) => e.queue), ...d.subscriptions.map((s) => s.queue)]);
    expect(new Set(groups).size).toBe(groups.length);
    // Endpoints keep the service name as their queue group.
    expect(a.describe()[0]!.endpoints[0]!.queue).toBe('audit');
  });

  it('refuses two user-named queue groups on overlapping subjects, naming both and the fix', async () => {
    @Service('named.one')
    class NamedOne {
      @On('named.*', { queue: 'workers' })
      onAny() {}
    }
    @Service('named.two')
    class NamedTwo {
      @On('named.save', { queue: 'workers' })
      onSave() {}
    }
    const err = await catchMeshError(boot([NamedOne, NamedTwo]));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('NamedOne.onAny');
    expect(err.message).toContain('NamedTwo.onSave');
    expect(err.message).toContain('workers');
  });

  it('moves an endpoint off its service-name group when a user-named group of that name overlaps it', async () => {
    @Service('moved')
    class Moved {
      @Handle('get')
      get() {
        return { ok: true };
      }
      @On('moved.*', { queue: 'moved' })
      onAny() {
        got.other++;
      }
    }
    const app = await boot([Moved]);
    await app.start();
    try {
      got.other = 0;
      for (let i = 0; i < 10; i++) expect(await client.request('moved.get', {}, { timeout: 2000 })).toEqual({ ok: true });
      await until(() => got.other >= 10, 'the queued event handler');
      expect(app.describe()[0]!.endpoints[0]!.queue).not.toBe('moved');
    } finally {
      await app.stop();
    }
  });
});
