import 'reflect-metadata';
import { createHotelApp } from './hotel-app';
import { metricsPortFromEnv } from './metrics-port';
import { selectHotelServices } from './select-services';

/**
 * Runs the hotel services until SIGINT or SIGTERM, against NATS_URL or nats://127.0.0.1:4222,
 * serving Prometheus metrics on METRICS_PORT (default 9464). HOTEL_SERVICES (comma-separated
 * names) runs only those; NATS_NKEY_SEED_FILE connects as the NATS user of that seed, and
 * NATS_CREDS_FILE with that .creds file (JWT mode): one service per process under the
 * permissions `natsmesh acl` generates, see docs/security.md.
 * HOTEL_ROOMS_VERSION=2.0.0 runs `hotel.rooms` as its version 2.0.0, which fails
 * HOTEL_ROOMS_FAIL_PERCENT (0–100, default 0) of its `list` calls (docs/traffic-management.md).
 */
async function main(): Promise<void> {
  const seedFile = process.env.NATS_NKEY_SEED_FILE || undefined;
  const credsFile = process.env.NATS_CREDS_FILE || undefined;
  const servers = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const app = await createHotelApp({
    services: selectHotelServices(process.env.HOTEL_SERVICES, process.env.HOTEL_ROOMS_VERSION),
    rooms: { failPercent: failPercentFromEnv() },
    metrics: { port: metricsPortFromEnv() },
    ...(credsFile !== undefined ? { nats: { servers, credsFile } } : seedFile !== undefined ? { nats: { servers, nkeySeedFile: seedFile } } : {}),
  });
  await app.start();
  console.log(`metrics: ${app.metricsUrl}`);
  const stop = () => {
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function failPercentFromEnv(): number {
  const text = process.env.HOTEL_ROOMS_FAIL_PERCENT || '0';
  const percent = Number(text);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new Error(`HOTEL_ROOMS_FAIL_PERCENT is "${text}": use a percentage from 0 to 100.`);
  return percent;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
