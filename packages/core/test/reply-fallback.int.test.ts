import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { catchMeshError } from '@natsmesh/testing';
import { DEAD_LETTER_HEADERS, ERROR_CODE_HEADER, ERROR_HEADER, Handle, MeshError, On, Service, toSrvName } from '@natsmesh/core';
import { hosting } from './hosting';

class Line {
  @IsInt() @Min(0) qty!: number;
  @IsString() sku!: string;
}

class Order {
  @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
}

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;

@Service('rf.orders')
class OrdersService {
  @Handle('place')
  place(input: Order) {
    return { lines: input.lines.length };
  }

  @Handle('bigint-details')
  bigintDetails() {
    throw new MeshError('CONFLICT', 'Order 7 changed meanwhile', { version: 10n });
  }

  @Handle('cyclic-details')
  cyclicDetails() {
    throw new MeshError('CONFLICT', 'Order 7 changed meanwhile', cyclic);
  }

  @Handle('huge-message')
  hugeMessage() {
    throw new MeshError('NOT_FOUND', `No order ${'7'.repeat(2_000_000)}`);
  }

  @Handle('huge-details')
  hugeDetails() {
    throw new MeshError('CONFLICT', 'Too many clashes', { blob: 'x'.repeat(2_000_000) });
  }

  @Handle('bigint-value')
  bigintValue() {
    return { total: 10n };
  }

  @Handle('cyclic-value')
  cyclicValue() {
    return cyclic;
  }
}

describe('every request gets an answer, even when the reply cannot be sent as it is', () => {
  const h = hosting([OrdersService], { discovery: false });

  it('answers VALIDATION_FAILED for 6000 bad array items, with the details trimmed to fit max_payload', async () => {
    const body = JSON.stringify({ lines: Array.from({ length: 6000 }, () => ({ qty: 'x', sku: 1 })) });
    expect(body.length).toBeGreaterThan(110_000);
    const err = await catchMeshError(h.client.request('rf.orders.place', JSON.parse(body)));
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const details = err.details as { field: string }[];
    expect(details.length).toBeGreaterThan(0);
    expect(details.length).toBeLessThan(12_000);
    expect(details[0].field).toBe('lines.0.qty');
    expect(err.message).toMatch(/^Invalid Order: /);
    expect(err.message).toMatch(/not shown/);
  });

  it('bounds the error header and keeps the full code in the body', async () => {
    const reply = await h.nc.request('rf.orders.huge-message', undefined, { timeout: 3000 });
    expect(reply.headers?.get(ERROR_CODE_HEADER)).toBe('404');
    expect(reply.headers!.get(ERROR_HEADER).length).toBeLessThanOrEqual(1024);
    expect(reply.headers!.get(ERROR_HEADER)).toMatch(/^No order 777/);
    const err = await catchMeshError(h.client.request('rf.orders.huge-message'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/^No order 777/);
  });

  it.each(['bigint-details', 'cyclic-details'])('answers a MeshError whose details cannot be encoded (%s) with its code, without the details', async (endpoint) => {
    const err = await catchMeshError(h.client.request(`rf.orders.${endpoint}`));
    expect(err).toMatchObject({ code: 'CONFLICT', status: 409, details: undefined });
    expect(err.message).toMatch(/^Order 7 changed meanwhile/);
  });

  it('answers a MeshError whose details are too large with its code, without the details', async () => {
    const err = await catchMeshError(h.client.request('rf.orders.huge-details'));
    expect(err).toMatchObject({ code: 'CONFLICT', status: 409, details: undefined });
    expect(err.message).toMatch(/^Too many clashes/);
  });

  it.each(['bigint-value', 'cyclic-value'])('answers INTERNAL for a return value that cannot be encoded (%s)', async (endpoint) => {
    const err = await catchMeshError(h.client.request(`rf.orders.${endpoint}`));
    expect(err).toMatchObject({ code: 'INTERNAL', status: 500 });
  });
});

@Service('rf.catalog', { description: 'd'.repeat(9000) })
class CatalogService {
  @Handle('list')
  list() {
    return [];
  }
}

describe('discovery replies larger than the server allows', () => {
  const h = hosting([CatalogService], { server: { config: { max_payload: 8192 } } });

  it('answers $SRV.INFO with a PAYLOAD_TOO_LARGE error reply instead of staying silent', async () => {
    const reply = await h.nc.request(`$SRV.INFO.${toSrvName('rf.catalog')}`, undefined, { timeout: 3000 });
    expect(reply.headers?.get(ERROR_CODE_HEADER)).toBe('413');
    expect(JSON.parse(new TextDecoder().decode(reply.data))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const ping = await h.nc.request(`$SRV.PING.${toSrvName('rf.catalog')}`, undefined, { timeout: 3000 });
    expect(ping.headers?.get(ERROR_CODE_HEADER) ?? '').toBe('');
  });
});

@Service('rf.audit')
class AuditService {
  @On('rfdur.entry', { durable: 'rf-audit', maxDeliver: 1, deadLetter: 'rfdur.dead' })
  onEntry() {
    throw new MeshError('CONFLICT', `Entry clashes with ${'7'.repeat(2_000_000)}`);
  }
}

describe('the error header of a dead letter', () => {
  const h = hosting([AuditService], { server: { jetstream: true }, discovery: false });

  it('is bounded like an error reply\'s, so an event whose handler throws a huge message still reaches the dead-letter subject', async () => {
    const dead = h.nc.subscribe('rfdur.dead', { max: 1, timeout: 5000 });
    h.nc.publish('rfdur.entry', new TextEncoder().encode('{"n":1}'));
    for await (const m of dead) {
      expect(m.headers?.get(DEAD_LETTER_HEADERS.code)).toBe('CONFLICT');
      expect(m.headers!.get(DEAD_LETTER_HEADERS.error).length).toBeLessThanOrEqual(1024);
      expect(m.headers!.get(DEAD_LETTER_HEADERS.error)).toMatch(/^Entry clashes with 777/);
    }
  });
});
