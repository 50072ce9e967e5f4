import 'reflect-metadata';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import { createClient, createLogger, ERROR_CODE_HEADER, type App, type MeshClient } from '@natsmesh/core';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createHotelApp } from '../../examples/hotel/src/hotel-app';
import { SaveBooking } from '../../examples/hotel/src/booking/booking.dto';
import { badInput, type BadInput } from './bad-inputs';
import { heapMb, Tally } from './support';

const INPUTS = 10_000;
const CONCURRENCY = 128;

describe('generated bad inputs against the hotel endpoints', () => {
  let server: NatsServerHandle;
  let app: App;
  let nc: NatsConnection;
  let desk: MeshClient;
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    server = await startNatsServer();
    app = await createHotelApp({ nats: { servers: server.url }, logger: createLogger({ level: 'silent' }), discovery: false });
    await app.start();
    nc = await connect({ servers: server.url });
    desk = await createClient({ nats: { servers: server.url } });
  });

  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await desk?.close();
    await nc?.close();
    await app?.stop();
    await server?.stop();
  });

  /** Sends one input and returns its outcome: `4xx <CODE>`, or what went wrong. */
  async function send(input: BadInput): Promise<string> {
    let h;
    if (input.headers.length > 0) {
      h = natsHeaders();
      for (const [k, v] of input.headers) h.append(k, v);
    }
    const reply = await nc.request(input.subject, input.data, { timeout: 10_000, headers: h });
    const status = Number(reply.headers?.get(ERROR_CODE_HEADER));
    let body: { code?: unknown };
    try {
      body = JSON.parse(new TextDecoder().decode(reply.data)) as { code?: unknown };
    } catch {
      return `reply is not JSON (status ${status})`;
    }
    if (!(status >= 400 && status < 500)) return `status ${status}: ${JSON.stringify(body).slice(0, 200)}`;
    return typeof body.code === 'string' ? `4xx ${body.code}` : `4xx without a code`;
  }

  async function run(from: number, to: number, byCode: Tally, byKind: Tally, failures: string[]): Promise<void> {
    let next = from;
    const lane = async () => {
      while (next < to) {
        const i = next++;
        const input = badInput(i);
        let outcome: string;
        try {
          outcome = await send(input);
        } catch (err) {
          outcome = `request failed: ${(err as Error).message}`;
        }
        if (outcome.startsWith('4xx ') && outcome !== '4xx without a code') {
          byCode.add(outcome.slice(4));
          byKind.add(input.kind);
        } else if (failures.length < 20) {
          failures.push(`#${i} ${input.kind} → ${input.subject}: ${outcome}`);
        } else failures.push('');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  }

  it(`answers each of ${INPUTS} bad inputs with a 4xx MeshError, without crashing, polluting a prototype or growing`, async () => {
    const byCode = new Tally();
    const byKind = new Tally();
    const failures: string[] = [];
    await run(0, 2000, byCode, byKind, failures); // warm-up: compiled paths, grown buffers
    const before = await heapMb();
    await run(2000, INPUTS, byCode, byKind, failures);
    const after = await heapMb();
    console.log(`bad inputs: ${byCode.total} 4xx replies by code ${JSON.stringify(byCode.toJSON())}, by kind ${JSON.stringify(byKind.toJSON())}, heap ${before.toFixed(1)} → ${after.toFixed(1)} MB`);

    expect(failures.filter(Boolean).slice(0, 20)).toEqual([]);
    expect(byCode.total).toBe(INPUTS);
    expect(crashes).toEqual([]);
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect((SaveBooking.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(String(Object.prototype.toString)).toContain('[native code]');
    expect(after - before).toBeLessThan(30);

    // Still serving: a good booking goes through.
    await expect(desk.request('hotel.booking.save', { guest: 'Ann', room: 101, nights: 1 })).resolves.toMatchObject({ status: 'confirmed' });
  });
});
