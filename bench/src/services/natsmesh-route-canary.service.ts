import { createApp, createLogger } from '@natsmesh/core';
import { BenchCanary } from './natsmesh-route.service';
import type { StartService } from './running-service';

/** Only the 2.0.0 instance of the `natsmesh-route` service: the second process of `natsmesh-route-split`. */
export const startService: StartService = async (url) => {
  const app = await createApp({ services: [BenchCanary], nats: { servers: url }, logger: createLogger({ level: 'silent' }) });
  await app.start();
  return { stop: () => app.stop() };
};
