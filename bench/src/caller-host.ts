import type { CreateCaller } from './callers/caller';
import { publishEvents, runLoad } from './harness/load';
import { describeError, guardChild, send, type CallerCommand } from './harness/ipc';

const CALLERS: Record<string, () => Promise<{ createCaller: CreateCaller }>> = {
  raw: () => import('./callers/raw.caller'),
  'raw-no-traces': () => import('./callers/raw-no-traces.caller'),
  mux: () => import('./callers/mux.caller'),
  moleculer: () => import('./callers/moleculer.caller'),
  nest: () => import('./callers/nest.caller'),
  natsmesh: () => import('./callers/natsmesh.caller'),
  'natsmesh-mw': () => import('./callers/natsmesh-mw.caller'),
  'moleculer-metrics': () => import('./callers/moleculer-metrics.caller'),
  'natsmesh-metrics': () => import('./callers/natsmesh-metrics.caller'),
  'natsmesh-otel': () => import('./callers/natsmesh-otel.caller'),
  'natsmesh-acl': () => import('./callers/natsmesh-acl.caller'),
  'natsmesh-identity': () => import('./callers/natsmesh-identity.caller'),
  'natsmesh-route': () => import('./callers/natsmesh-route.caller'),
  'natsmesh-route-even': () => import('./callers/natsmesh-route-even.caller'),
  'natsmesh-pinned': () => import('./callers/natsmesh-pinned.caller'),
  'natsmesh-mirror': () => import('./callers/natsmesh-mirror.caller'),
};

async function main(): Promise<void> {
  guardChild();
  const [kind, url] = process.argv.slice(2);
  const load = CALLERS[kind];
  if (!load || !url) throw new Error(`usage: caller-host <${Object.keys(CALLERS).join('|')}> <nats url>`);
  const { createCaller } = await load();
  const caller = await createCaller(url);
  // One request proves the path end to end before the runner starts timing; a service whose
  // subscription the server has not registered yet gets a few more tries.
  for (let attempt = 1; ; attempt++) {
    try {
      await caller.request();
      break;
    } catch (err) {
      if (attempt === 20) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // Commands run one at a time, in the order the runner sends them.
  let queue = Promise.resolve();
  process.on('message', (cmd: CallerCommand) => {
    queue = queue.then(() => handle(cmd)).catch((err: unknown) => send({ type: 'failed', message: describeError(err) }));
  });
  const handle = async (cmd: CallerCommand): Promise<void> => {
    switch (cmd.type) {
      case 'sequential':
        send({ type: 'load', result: await runLoad(() => caller.request(), 1, cmd.durationMs) });
        break;
      case 'in-flight':
        send({ type: 'load', result: await runLoad(() => caller.request(), cmd.concurrency, cmd.durationMs) });
        break;
      case 'publish':
        await publishEvents(() => caller.emit(), cmd.count);
        send({ type: 'published', count: cmd.count });
        break;
      case 'stop': {
        const hardStop = setTimeout(() => process.exit(0), 3000);
        await caller.close().catch(() => undefined);
        clearTimeout(hardStop);
        process.exit(0);
      }
    }
  };
  send({ type: 'ready' });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: describeError(err) });
  setTimeout(() => process.exit(2), 50);
});
