import { connect, StringCodec, type NatsConnection } from 'nats';
import { startNatsCluster, type NatsClusterHandle } from '@natsmesh/testing';

const sc = StringCodec();

describe('startNatsCluster', () => {
  let cluster: NatsClusterHandle | undefined;
  const open: NatsConnection[] = [];

  async function connectTo(url: string): Promise<NatsConnection> {
    const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    open.push(nc);
    return nc;
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((nc) => nc.close()));
    await cluster?.stop();
    cluster = undefined;
  });

  it('delivers a message published on node 3 to a subscriber on node 1', async () => {
    cluster = await startNatsCluster(3);
    expect(cluster.urls).toHaveLength(3);
    expect(new Set(cluster.servers.map((s) => s.port)).size).toBe(3);
    const sub = await connectTo(cluster.urls[0]);
    const pub = await connectTo(cluster.urls[2]);
    await expect(deliveredAcross(sub, pub, 'greet')).resolves.toBe('hello');
  });

  it('lets a killed member restart on its port and rejoin the mesh', async () => {
    cluster = await startNatsCluster(3);
    const [first, second, third] = cluster.servers;
    const { port, pid } = third;

    third.kill();
    // The other two keep routing to each other while node 3 is down.
    const sub = await connectTo(first.url);
    await expect(deliveredAcross(sub, await connectTo(second.url), 'while.down')).resolves.toBe('hello');

    await third.restart();
    expect(third.port).toBe(port);
    expect(third.pid).not.toBe(pid);
    await expect(deliveredAcross(sub, await connectTo(third.url), 'after.rejoin')).resolves.toBe('hello');
  });

  it('with jetstream, runs clustered JetStream that can hold an R3 stream', async () => {
    cluster = await startNatsCluster(3, { jetstream: true, name: 'jsc' });
    expect(cluster.servers.every((s) => s.storeDir)).toBe(true);
    expect(new Set(cluster.servers.map((s) => s.storeDir)).size).toBe(3);
    const nc = await connectTo(cluster.urls[1]);
    const jsm = await nc.jetstreamManager();
    await expect(jsm.getAccountInfo()).resolves.toMatchObject({ streams: 0 });
    const stream = await jsm.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 });
    expect(stream.cluster?.name).toBe('jsc');
    expect(stream.cluster?.replicas).toHaveLength(2);
  });

  it('rejects a member count that is not a whole number of 1 or more', async () => {
    await expect(startNatsCluster(0)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

/**
 * Publishes on `pub` until `sub` receives it. The routes are up when the cluster resolves, but a
 * new subscription still takes a moment to travel to the other servers.
 */
async function deliveredAcross(sub: NatsConnection, pub: NatsConnection, subject: string): Promise<string> {
  const received = sub.subscribe(subject, { max: 1, timeout: 3000 });
  await sub.flush();
  const timer = setInterval(() => pub.publish(subject, sc.encode('hello')), 20);
  try {
    for await (const msg of received) return sc.decode(msg.data);
    throw new Error('subscription closed before a message arrived');
  } finally {
    clearInterval(timer);
  }
}
