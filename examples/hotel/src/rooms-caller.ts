import 'reflect-metadata';
import { createClient, MeshError } from '@natsmesh/core';

/**
 * A front desk that keeps asking `hotel.rooms.list` (CALLS_PER_SECOND, default 50), as the
 * traffic of the canary walk-through (docs/traffic-management.md), until SIGINT or SIGTERM. It
 * routes by the rules in force like every natsmesh caller, and every 2 s prints which version
 * answered (2.0.0's rooms carry a `view`) and the calls that failed, by code.
 */
async function main(): Promise<void> {
  const perSecond = Number(process.env.CALLS_PER_SECOND || '50');
  if (!Number.isFinite(perSecond) || perSecond <= 0) throw new Error(`CALLS_PER_SECOND is "${process.env.CALLS_PER_SECOND}": use a number above 0.`);
  const client = await createClient({ nats: { servers: process.env.NATS_URL || 'nats://127.0.0.1:4222' }, name: 'front-desk' });
  let counts: Record<string, number> = {};
  const count = (key: string) => void (counts[key] = (counts[key] ?? 0) + 1);
  const calls = setInterval(() => {
    client.request<{ view?: string }[]>('hotel.rooms.list').then(
      (rooms) => count(rooms[0]?.view === undefined ? '1.0.0' : '2.0.0'),
      (err: unknown) => count(`failed ${MeshError.is(err) ? err.code : 'INTERNAL'}`),
    );
  }, 1000 / perSecond);
  const report = setInterval(() => {
    const line = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k}: ${n}`).join('  ');
    console.log(`${new Date().toISOString().slice(11, 19)}  hotel.rooms.list  ${line || 'no replies'}`);
    counts = {};
  }, 2000);
  const stop = () => {
    clearInterval(calls);
    clearInterval(report);
    client.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
