import 'reflect-metadata';
import { createHotelApp } from './hotel-app';
import { metricsPortFromEnv } from './metrics-port';

/**
 * Runs the hotel services until SIGINT or SIGTERM, against NATS_URL or nats://127.0.0.1:4222,
 * serving Prometheus metrics on METRICS_PORT (default 9464).
 */
async function main(): Promise<void> {
  const app = await createHotelApp({ metrics: { port: metricsPortFromEnv() } });
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
