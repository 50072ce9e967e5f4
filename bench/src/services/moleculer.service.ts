import { ServiceBroker, type Context } from 'moleculer';
import { replyOf } from '../workload';
import type { StartService } from './running-service';

/** Moleculer 0.15 over its NATS transporter: action `bench.echo`, event `bench.evt`. */
export const startService: StartService = async (url, onEvent) => {
  const broker = new ServiceBroker({
    nodeID: `bench-service-${process.pid}`,
    transporter: { type: 'NATS', options: { url } },
    logLevel: 'error',
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
};
