import 'reflect-metadata';
import { IsOptional, IsString } from 'class-validator';
import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, Handle, On, Service, type App } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

class Profile {
  @IsString() name!: string;
  @IsOptional() @IsString() role?: string;
}

const seen: { via: string; value: unknown }[] = [];

@Service('pp.users')
class UsersService {
  @Handle('plain')
  plain(input: unknown) {
    return { ownProto: Object.prototype.hasOwnProperty.call(input, '__proto__'), merged: naiveMerge({}, input) };
  }

  @Handle('dto')
  dto(input: Profile) {
    return { isProfile: Object.getPrototypeOf(input) === Profile.prototype, isAdmin: (input as unknown as { isAdmin?: unknown }).isAdmin ?? null };
  }

  @On('pp.event')
  onEvent(evt: unknown) {
    seen.push({ via: 'event', value: evt });
  }

  @On('ppdurable.event', { durable: 'pp-durable' })
  onDurable(evt: unknown) {
    seen.push({ via: 'durable', value: evt });
  }
}

// The deep merge found in many code bases: it follows "__proto__" and "constructor.prototype".
function naiveMerge(target: Record<string, unknown>, source: unknown): Record<string, unknown> {
  if (source === null || typeof source !== 'object') return target;
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    if (value !== null && typeof value === 'object') {
      if (!(key in target)) target[key] = {};
      naiveMerge(target[key] as Record<string, unknown>, value);
    } else target[key] = value;
  }
  return target;
}

// Each spelling of a key that JSON.parse turns into "__proto__" or "constructor".
const PROTO_SPELLINGS = ['__proto__', '\\u005f_proto__', '\\u005F\\u005Fproto__', '__\\u0070roto__', '__pr\\u006fto__', '__prot\\u006F__'];
const CONSTRUCTOR_SPELLINGS = ['constructor', '\\u0063onstructor', 'constructo\\u0072', 'c\\u006fnstructor'];
const hostileBodies = [
  ...PROTO_SPELLINGS.map((k) => `{"name":"Eve","${k}":{"isAdmin":true}}`),
  ...PROTO_SPELLINGS.map((k) => `{"name":"Eve","nested":[{"${k}":{"isAdmin":true}}]}`),
  ...CONSTRUCTOR_SPELLINGS.map((k) => `{"name":"Eve","${k}":{"prototype":{"isAdmin":true}}}`),
  ...CONSTRUCTOR_SPELLINGS.map((k) => `{"name":"Eve","${k}":{"protot\\u0079pe":{"isAdmin":true}}}`),
];

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('isAdmin');
  expect((Profile.prototype as unknown as Record<string, unknown>).isAdmin).toBeUndefined();
}

describe('no prototype pollution by any spelling of a dangerous key', () => {
  let server: NatsServerHandle;
  let app: App;
  let nc: NatsConnection;
  const enc = new TextEncoder();
  const ask = async (subject: string, body: string) => JSON.parse(new TextDecoder().decode((await nc.request(subject, enc.encode(body), { timeout: 5000 })).data)) as Record<string, unknown>;

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    app = await createApp({ services: [UsersService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    await app.start();
    nc = await connect({ servers: server.url });
  });

  // A failing case must not make the next ones fail: undo what it polluted.
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).isAdmin;
  });

  afterAll(async () => {
    await nc?.close();
    await app?.stop();
    await server?.stop();
  });

  it.each(hostileBodies)('a plain handler receives no dangerous key from %s', async (body) => {
    const reply = await ask('pp.users.plain', body);
    expect(reply.ownProto).toBe(false);
    expectNoPollution();
  });

  it.each(hostileBodies)('a DTO keeps its prototype and gains no inherited field from %s', async (body) => {
    const reply = await ask('pp.users.dto', body);
    expect(reply).toEqual({ isProfile: true, isAdmin: null });
    expectNoPollution();
  });

  it('keeps harmless keys named constructor or prototype', async () => {
    const reply = await ask('pp.users.plain', '{"constructor":"Ann","prototype":{"v":2}}');
    expect(reply.merged).toEqual({ constructor: 'Ann', prototype: { v: 2 } });
  });

  it('strips the key from events and durable events too', async () => {
    seen.length = 0;
    const body = enc.encode('{"name":"Eve","\\u005f_proto__":{"isAdmin":true},"\\u0063onstructor":{"protot\\u0079pe":{"isAdmin":true}}}');
    nc.publish('pp.event', body);
    nc.publish('ppdurable.event', body);
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen.map((s) => s.via).sort()).toEqual(['durable', 'event']);
    for (const s of seen) {
      expect(Object.keys(s.value as object)).toEqual(['name']);
      expect(Object.getPrototypeOf(s.value)).toBe(Object.prototype);
    }
    expectNoPollution();
  });
});
