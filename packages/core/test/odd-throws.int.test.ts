import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, ValidateNested } from 'class-validator';
import { catchMeshError } from '@natsmesh/testing';
import { DEAD_LETTER_HEADERS, ERROR_CODE_HEADER, Handle, On, Service } from '@natsmesh/core';
import { hosting } from './hosting';

// Values a handler can throw whose fields cannot be read, or that only look like a MeshError.
const ODD_THROWS: Record<string, () => unknown> = {
  'code-getter': () => ({
    get code() {
      throw new Error('code getter');
    },
  }),
  'revoked-proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  'name-getter': () => Object.defineProperty(new Error('x'), 'name', { get: () => { throw new Error('name getter'); } }),
  'mesh-status-getter': () =>
    Object.defineProperty(Object.assign(new Error('x'), { name: 'MeshError', code: 'X' }), 'status', { get: () => { throw new Error('status getter'); } }),
};

// An Error shaped like a MeshError of another copy of natsmesh, but without its methods.
const meshShaped = () => Object.assign(new Error('Room 3 is taken'), { name: 'MeshError', code: 'ROOM_TAKEN', status: 409 });

class TreeNode {
  @IsOptional() @ValidateNested() @Type(() => TreeNode) child?: TreeNode;
}

// Built by class-transformer, checked without nested validation: the synchronous validator.
class Chain {
  @IsOptional() @IsInt() v?: number;
  @Type(() => Chain) child?: Chain;
}

@Service('odd')
class OddService {
  @Handle('sync')
  sync(input: { kind: string }) {
    throw ODD_THROWS[input.kind]();
  }

  @Handle('async')
  async later(input: { kind: string }) {
    await null;
    throw ODD_THROWS[input.kind]();
  }

  @Handle('tree')
  tree(input: TreeNode) {
    return input.child === undefined ? 0 : 1;
  }

  @Handle('chain')
  chain(input: Chain) {
    return input.child === undefined ? 0 : 1;
  }

  @Handle('mesh-shaped')
  async meshShaped() {
    await null;
    throw meshShaped();
  }

  @Handle('ping')
  ping() {
    return 'pong';
  }

  @On('odd.ev')
  ev(input: { kind: string }) {
    throw ODD_THROWS[input.kind]();
  }

  @On('odd.dur', { durable: 'odd-dur', maxDeliver: 1, deadLetter: 'odd.dead' })
  dur() {
    throw {
      get message(): string {
        throw new Error('message getter');
      },
    };
  }
}

describe('a handler that throws anything', () => {
  const h = hosting([OddService], { server: { jetstream: true }, discovery: false });

  describe.each(['sync', 'async'])('%s endpoint', (endpoint) => {
    it.each(Object.keys(ODD_THROWS))('answers INTERNAL for a thrown %s and keeps serving', async (kind) => {
      const err = await catchMeshError(h.client.request(`odd.${endpoint}`, { kind }));
      expect(err).toMatchObject({ code: 'INTERNAL', status: 500 });
      await expect(h.client.request('odd.ping')).resolves.toBe('pong');
    });
  });

  it('answers a MeshError-shaped Error (another copy of natsmesh) with its code and status', async () => {
    const err = await catchMeshError(h.client.request('odd.mesh-shaped'));
    expect(err).toMatchObject({ code: 'ROOM_TAKEN', status: 409, message: 'Room 3 is taken' });
  });

  it.each(Object.keys(ODD_THROWS))('logs an event handler that throws %s and keeps serving', async (kind) => {
    h.client.emit('odd.ev', { kind });
    await h.client.flush();
    await expect(h.client.request('odd.ping')).resolves.toBe('pong');
  });

  it('dead-letters a durable event whose error message cannot be read, as INTERNAL', async () => {
    const dead = h.nc.subscribe('odd.dead', { max: 1, timeout: 5000 });
    await h.client.emit('odd.dur', {}, { durable: true });
    for await (const m of dead) expect(m.headers?.get(DEAD_LETTER_HEADERS.code)).toBe('INTERNAL');
    await expect(h.client.request('odd.ping')).resolves.toBe('pong');
  });

  // Sent raw: the client's own JSON encoder gives up on such depth before the wire.
  it.each(['tree', 'chain'])('answers BAD_REQUEST for a DTO nested 5000 levels deep (%s)', async (endpoint) => {
    const body = '{"child":'.repeat(5000) + '{}' + '}'.repeat(5000);
    const reply = await h.nc.request(`odd.${endpoint}`, new TextEncoder().encode(body), { timeout: 3000 });
    expect(reply.headers?.get(ERROR_CODE_HEADER)).toBe('400');
    const answer = JSON.parse(new TextDecoder().decode(reply.data)) as { code: string; message: string };
    expect(answer.code).toBe('BAD_REQUEST');
    expect(answer.message).toMatch(/nested too deeply/);
  });
});
