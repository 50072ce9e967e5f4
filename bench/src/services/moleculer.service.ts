import { ServiceBroker, type BrokerOptions, type Context } from 'moleculer';
import { replyOf } from '../workload';
import type { StartService } from './running-service';

/** Starts the Moleculer bench service with `options` added to its broker options (metrics). */
export async function startMoleculer(url: string, onEvent: () => void, options: Partial<BrokerOptions> = {}) {
  const broker = new ServiceBroker({
    nodeID: `bench-service-${process.pid}`,
    transporter: { type: 'NATS', options: { url } },
    logLevel: 'error',
    ...options,
  });
  broker.createService({
    name: 'bench',
    actions: {
      echo(ctx: Context<{ guest: string; room: number }>) {
        return replyOf(ctx.params);
      },
    },
    events: {
      'bench.evt'() {
        onEvent();
      },
    },
  });
  await broker.start();
  return { stop: () => broker.stop() };
}

/** Moleculer 0.15 over its NATS transporter: action `bench.echo`, event `bench.evt`. */
export const startService: StartService = (url, onEvent) => startMoleculer(url, onEvent);
