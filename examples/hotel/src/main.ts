import 'reflect-metadata';
import { createHotelApp } from './hotel-app';

/** Runs the hotel services until SIGINT or SIGTERM, against NATS_URL or nats://127.0.0.1:4222. */
async function main(): Promise<void> {
  const app = await createHotelApp();
  await app.start();
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
