import 'reflect-metadata';
import { RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { catchMeshError } from '@natsmesh/testing';
import { Handle, On, Service } from '@natsmesh/core';
import { useJetStreamServer } from './jetstream-server';
import { until } from './until';

const durableSeen: string[] = [];

@Service('acc.orders')
class OrdersService {
  @Handle('place')
  place(input: { n: number }) {
    return { placed: input.n };
  }
}

@Service('acc.audit')
class AccAuditService {
  @On('acc.durable.>', { durable: 'x' })
  onDurable(evt: { id: string }) {
    durableSeen.push(evt.id);
  }

  @On('acc.more.*', { durable: 'y' })
  onMore() {}

  @On('acc.more.a', { durable: 'z' })
  onMoreA() {}
}

describe('durable streams never capture request/reply subjects', () => {
  const fx = useJetStreamServer();
  let nc: NatsConnection;
  beforeAll(() => (nc = fx.nc));
  const boot = fx.boot;

  it('answers requests to an endpoint beside a durable pattern of the same first token, and stores only the durable patterns', async () => {
    const app = await boot([OrdersService, AccAuditService]);
    await app.start();
    try {
      for (let i = 0; i < 20; i++) expect(await app.client.request('acc.orders.place', { n: i })).toEqual({ placed: i });
      const info = await (await nc.jetstreamManager()).streams.info('NATSMESH_acc');
      expect([...(info.config.subjects ?? [])].sort()).toEqual(['acc.durable.>', 'acc.more.*']);
      expect(info.state.messages).toBe(0);
      // A plain event outside the durable patterns is not kept for 7 days either.
      app.client.emit('acc.plain.event', {});
      await app.client.emit('acc.durable.one', { id: 'one' }, { durable: true });
      await until(() => durableSeen.includes('one'), 'the durable event');
      expect((await (await nc.jetstreamManager()).streams.info('NATSMESH_acc')).state.messages).toBe(1);
    } finally {
      await app.stop();
    }
  });

  it('brings a stream made by an older natsmesh over the whole first token to the exact durable patterns', async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'NATSMESH_old', subjects: ['old.>'], retention: RetentionPolicy.Limits, storage: StorageType.File });
    @Service('old.orders')
    class OldOrders {
      @Handle('place')
      place() {
        return { ok: true };
      }
    }
    @Service('old.audit')
    class OldAudit {
      @On('old.events.>', { durable: 'old-x' })
      on() {}
    }
    const app = await boot([OldOrders, OldAudit]);
    await app.start();
    try {
      expect((await jsm.streams.info('NATSMESH_old')).config.subjects).toEqual(['old.events.>']);
      expect(await app.client.request('old.orders.place', {})).toEqual({ ok: true });
    } finally {
      await app.stop();
    }
  });

  it('refuses at createApp a durable pattern that would store an endpoint of the app, naming the stream, the endpoint and the fix', async () => {
    @Service('wide.orders')
    class WideOrders {
      @Handle('place')
      place() {
        return {};
      }
    }
    @Service('wide.audit')
    class WideAudit {
      @On('wide.>', { durable: 'w' })
      on() {}
    }
    const err = await catchMeshError(boot([WideOrders, WideAudit]));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('NATSMESH_wide');
    expect(err.message).toContain('wide.orders.place');
    expect(err.message).toContain('WideOrders.place');
  });

  it('refuses at createApp a configured stream whose subjects overlap an endpoint', async () => {
    @Service('conf.orders')
    class ConfOrders {
      @Handle('place')
      place() {
        return {};
      }
    }
    @Service('conf.audit')
    class ConfAudit {
      @On('conf.events.x', { durable: 'c' })
      on() {}
    }
    const err = await catchMeshError(boot([ConfOrders, ConfAudit], { streams: [{ name: 'CONF', subjects: ['conf.>'] }] }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('CONF');
    expect(err.message).toContain('conf.orders.place');
    expect(err.message).toContain('subjects');
  });

  it('refuses at start an existing stream named by { stream } that stores an endpoint of the app', async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'EXT', subjects: ['ext.>'] });
    @Service('ext.orders')
    class ExtOrders {
      @Handle('place')
      place() {
        return {};
      }
    }
    @Service('ext.audit')
    class ExtAudit {
      @On('ext.events.x', { durable: 'e', stream: 'EXT' })
      on() {}
    }
    const app = await boot([ExtOrders, ExtAudit]);
    const err = await catchMeshError(app.start());
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('EXT');
    expect(err.message).toContain('ext.orders.place');
  });

  it.each(['_INBOX.>', '$SRV.>', '$NATSMESH.>', '$NATSMESH.I.x.y'])('refuses a durable pattern over the reply and discovery subjects: %s', async (pattern) => {
    @Service('inbox.audit')
    class InboxAudit {
      @On(pattern, { durable: 'i', stream: 'INBOXES' })
      on() {}
    }
    const err = await catchMeshError(boot([InboxAudit], { streams: [{ name: 'INBOXES', subjects: [pattern] }] }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain(pattern);
  });
});

describe('a durable emit that no stream stores', () => {
  const fx = useJetStreamServer();

  @Service('shop')
  class Shop {
    @Handle('place', { subject: 'shop.orders.place' })
    place() {
      return { orderId: 7 };
    }

    @Handle('nothing', { subject: 'shop.orders.nothing' })
    nothing() {
      return undefined;
    }

    @On('shop.orders.audit')
    audit() {}
  }

  it('rejects JETSTREAM_UNAVAILABLE when an endpoint answers in place of a stream, never a fake ack', async () => {
    const app = await fx.boot([Shop]);
    await app.start();
    try {
      for (const subject of ['shop.orders.place', 'shop.orders.nothing']) {
        const err = await catchMeshError(app.client.emit(subject, { item: 1 }, { durable: true }));
        expect(err).toMatchObject({ code: 'JETSTREAM_UNAVAILABLE', message: expect.stringContaining('not a JetStream ack') });
      }
    } finally {
      await app.stop();
    }
  });

  it('says on TIMEOUT that no stream may store the subject when only a plain subscriber takes it', async () => {
    const app = await fx.boot([Shop]);
    await app.start();
    try {
      const err = await catchMeshError(app.client.emit('shop.orders.audit', { item: 1 }, { durable: true, timeout: 300 }));
      expect(err).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('no stream') });
    } finally {
      await app.stop();
    }
  });
});
