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
 */
async function main(): Promise<void> {
  const seedFile = process.env.NATS_NKEY_SEED_FILE || undefined;
  const credsFile = process.env.NATS_CREDS_FILE || undefined;
  const servers = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const app = await createHotelApp({
    services: selectHotelServices(process.env.HOTEL_SERVICES),
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

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
