import { Handle, Service, createApp, createLogger, type App } from '@natsmesh/core';
import { replyOf } from '../workload';
import type { StartService } from './running-service';

/** The versions the `natsmesh-route` caller's route splits `bench.echo` between. */
export const ROUTE_VERSIONS = { stable: '1.0.0', canary: '2.0.0' } as const;

@Service('bench', { version: ROUTE_VERSIONS.stable })
export class BenchStable {
  @Handle('echo')
  echo(input: unknown) {
    return replyOf(input as { guest: string; room: number });
  }
}

@Service('bench', { version: ROUTE_VERSIONS.canary })
export class BenchCanary {
  @Handle('echo')
  echo(input: unknown) {
    return replyOf(input as { guest: string; room: number });
  }
}

/**
 * The natsmesh bench service in two versions, one app (one instance) each, in this one process:
 * the echo endpoint only (the contender has no events figure).
 */
export const startService: StartService = async (url) => {
  const apps: App[] = [];
  for (const service of [BenchStable, BenchCanary]) {
    const app = await createApp({ services: [service], nats: { servers: url }, logger: createLogger({ level: 'silent' }) });
    await app.start();
    apps.push(app);
  }
  return { stop: async () => void (await Promise.all(apps.map((a) => a.stop()))) };
};
