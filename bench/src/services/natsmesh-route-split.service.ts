import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createApp, createLogger } from '@natsmesh/core';
import { BenchStable } from './natsmesh-route.service';
import type { StartService } from './running-service';

/**
 * The `natsmesh-route` service with its 2.0.0 instance in a process of its own, as a mirror
 * target runs elsewhere in a real mesh: copies then do not queue behind the primaries in the
 * one service thread (the child's CPU is not in the service figures).
 */
export const startService: StartService = async (url) => {
  const app = await createApp({ services: [BenchStable], nats: { servers: url }, logger: createLogger({ level: 'silent' }) });
  await app.start();
  const child = fork(join(__dirname, '..', 'service-host.js'), ['natsmesh-route-canary', url], { stdio: 'inherit' });
  const [ready] = (await once(child, 'message')) as [{ type: string; message?: string }];
  if (ready.type !== 'ready') throw new Error(`the 2.0.0 bench instance did not start: ${ready.message ?? ready.type}`);
  return {
    stop: async () => {
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      await exited;
      await app.stop();
    },
  };
};
