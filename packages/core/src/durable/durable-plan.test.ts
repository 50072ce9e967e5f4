import type { SubscriptionDefinition } from '../scanner/service-definition';
import { subjectCovers } from '../scanner/subject-match';
import { DEFAULT_BACKOFF, planDurables, retryDelay, type DurableSubscription } from './durable-plan';
import { streamConfigOf } from './jetstream-setup';

const sub = (pattern: string, durable: string, o: SubscriptionDefinition['durableOptions'] = {}): DurableSubscription => ({
  where: `@On('${pattern}')`,
  definition: { method: 'm', pattern, queue: undefined, durable, durableOptions: o, input: undefined, description: undefined, middleware: [] },
});

describe('subjectCovers', () => {
  it.each([
    ['app.>', 'app.*.save', true],
    ['app.>', 'app.booking.save', true],
    ['app.>', 'app', false],
    ['app.>', 'app.>', true],
    ['app.*.save', 'app.booking.save', true],
    ['app.*.save', 'app.*.save', true],
    ['app.*.save', 'app.>', false],
    ['app.booking.save', 'app.*.save', false],
    ['>', '*.x', true],
    ['app.*', 'app.a.b', false],
    ['orders.>', 'app.x', false],
  ])('%s covers %s: %s', (filter, subject, expected) => {
    expect(subjectCovers(filter, subject)).toBe(expected);
  });
});

describe('retryDelay', () => {
  it('takes the n-th backoff entry and repeats the last', () => {
    expect([1, 2, 3, 4, 9].map((n) => retryDelay([10, 20, 30], n))).toEqual([10, 20, 30, 30, 30]);
    expect(retryDelay(DEFAULT_BACKOFF, 0)).toBe(DEFAULT_BACKOFF[0]);
  });
});

describe('planDurables', () => {
  it('derives one stream per first token over exactly its durable patterns, with defaults for every consumer', () => {
    const plan = planDurables([sub('app.*.save', 'audit'), sub('app.booking.delete', 'mail'), sub('app.booking.save', 'copy'), sub('orders.>', 'ship')]);
    expect(plan.streams).toEqual([
      { name: 'NATSMESH_app', managed: true, derived: true, options: { name: 'NATSMESH_app', subjects: ['app.*.save', 'app.booking.delete'] } },
      { name: 'NATSMESH_orders', managed: true, derived: true, options: { name: 'NATSMESH_orders', subjects: ['orders.>'] } },
    ]);
    expect(plan.consumers[0]).toEqual({
      stream: 'NATSMESH_app',
      durable: 'audit',
      filter: 'app.*.save',
      maxDeliver: 5,
      backoff: DEFAULT_BACKOFF,
      ackWait: 30_000,
      maxAckPending: 1000,
      deadLetter: '$NATSMESH.DLQ.NATSMESH_app.audit',
    });
  });

  it('uses a configured stream that covers the pattern, or the one named on the decorator', () => {
    const streams = [{ name: 'EVENTS', subjects: ['app.>'], retention: 'interest' as const, maxAge: 1000, replicas: 3 }];
    const plan = planDurables([sub('app.x', 'a'), sub('other.y', 'b', { stream: 'LEGACY', maxDeliver: 2, deadLetter: 'dlq.b' })], { streams });
    expect(plan.consumers.map((c) => [c.stream, c.deadLetter, c.maxDeliver])).toEqual([
      ['EVENTS', '$NATSMESH.DLQ.EVENTS.a', 5],
      ['LEGACY', 'dlq.b', 2],
    ]);
    expect(plan.streams.map((s) => [s.name, s.managed])).toEqual([
      ['EVENTS', true],
      ['LEGACY', false],
    ]);
  });

  it('refuses what cannot work, with INVALID_OPTIONS', () => {
    const bad: [DurableSubscription[], object?][] = [
      [[sub('app.x', 'a.b')]],
      [[sub('*.x', 'a')]],
      [[sub('app.x', 'a'), sub('app.y', 'a')]],
      [[sub('app.x', 'a', { maxDeliver: 0 })]],
      [[sub('app.x', 'a', { backoff: [] })]],
      [[sub('app.x', 'a', { deadLetter: 'dlq.>' })]],
      [[sub('app.x', 'a', { stream: 'E' })], { streams: [{ name: 'E', subjects: ['orders.>'] }] }],
      [[sub('app.x', 'a')], { streams: [{ name: 'E', subjects: ['app.>'], replicas: 7 }] }],
      [[sub('app.>', 'a')], {}],
      [[sub('app.x', 'a')], { streams: [{ name: 'E', subjects: ['app.orders.*'] }] }],
      [[sub('_INBOX.>', 'a')]],
      [[sub('$NATSMESH.I.x.app', 'a', { stream: 'E' })], { streams: [{ name: 'E', subjects: ['$NATSMESH.>'] }] }],
    ];
    const endpoints = [{ subject: 'app.orders.place', where: "@Handle('place') on Orders.place" }];
    for (const [subs, options] of bad) expect(() => planDurables(subs, options, endpoints)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => planDurables([sub('$NATSMESH.DLQ.>', 'replay')], {}, endpoints)).not.toThrow();
  });

  it.each(['$NATSMESH.HEALTH', '$NATSMESH.HEALTH.*', '$NATSMESH.HEALTH.app-1'])('refuses to store the health subject %s: JetStream would answer health requests', (pattern) => {
    expect(() => planDurables([sub(pattern, 'a')], {}, [])).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('natsmesh health') }));
  });
});

describe('streamConfigOf', () => {
  it('turns limits into the server config in nanoseconds', () => {
    const c = streamConfigOf({ name: 'E', managed: true, derived: false, options: { name: 'E', subjects: ['app.>'], retention: 'interest', storage: 'memory', maxAge: 1000, maxMsgs: 10, maxBytes: 2048, replicas: 3, duplicateWindow: 500 } });
    expect(c).toMatchObject({ name: 'E', subjects: ['app.>'], retention: 'interest', storage: 'memory', max_age: 1_000_000_000, max_msgs: 10, max_bytes: 2048, num_replicas: 3, duplicate_window: 500_000_000 });
  });
});
