import { describeError, guardChild, send, type ServiceCommand } from './harness/ipc';
import type { StartService } from './services/running-service';

// Each contender's module is loaded on its own so that the service's RSS holds only its framework.
const SERVICES: Record<string, () => Promise<{ startService: StartService }>> = {
  raw: () => import('./services/raw.service'),
  moleculer: () => import('./services/moleculer.service'),
  nest: () => import('./services/nest.service'),
  natsmesh: () => import('./services/natsmesh.service'),
  'natsmesh-dto': () => import('./services/natsmesh-dto.service'),
  'natsmesh-mw': () => import('./services/natsmesh-mw.service'),
  'natsmesh-metrics': () => import('./services/natsmesh-metrics.service'),
  'moleculer-metrics': () => import('./services/moleculer-metrics.service'),
  'natsmesh-otel': () => import('./services/natsmesh-otel.service'),
  'natsmesh-acl': () => import('./services/natsmesh-acl.service'),
  'natsmesh-identity': () => import('./services/natsmesh-identity.service'),
  'natsmesh-route': () => import('./services/natsmesh-route.service'),
  'natsmesh-route-split': () => import('./services/natsmesh-route-split.service'),
  'natsmesh-route-canary': () => import('./services/natsmesh-route-canary.service'),
};

async function main(): Promise<void> {
  guardChild();
  const [kind, url] = process.argv.slice(2);
  const load = SERVICES[kind];
  if (!load || !url) throw new Error(`usage: service-host <${Object.keys(SERVICES).join('|')}> <nats url>`);

  let received = 0;
  let target = Infinity;
  const onEvent = (): void => {
    if (++received === target) send({ type: 'events-done', count: received });
  };

  const { startService } = await load();
  const service = await startService(url, onEvent);

  process.on('message', (cmd: ServiceCommand) => {
    if (cmd.type === 'expect-events') {
      received = 0;
      target = cmd.count;
      send({ type: 'events-armed' });
    } else if (cmd.type === 'stop') {
      // A normal exit, so that --cpu-prof gets to write its profile.
      const hardStop = setTimeout(() => process.exit(0), 3000);
      void service.stop().catch(() => undefined).finally(() => {
        clearTimeout(hardStop);
        process.exit(0);
      });
    }
  });
  send({ type: 'ready' });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: describeError(err) });
  setTimeout(() => process.exit(2), 50);
});
