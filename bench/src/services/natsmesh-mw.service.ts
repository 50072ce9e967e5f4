import { Handle, On, Service, Use, createApp, createLogger } from '@natsmesh/core';
import { NoOp } from '../no-op.middleware';
import { EVENT_SUBJECT, replyOf } from '../workload';
import type { StartService } from './running-service';

let countEvent: () => void = () => undefined;

@Service('bench')
@Use(new NoOp('service'))
class BenchService {
  @Handle('echo')
  @Use(new NoOp('handler'))
  echo(input: unknown) {
    return replyOf(input as { guest: string; room: number });
  }

  @On(EVENT_SUBJECT)
  @Use(new NoOp('handler'))
  evt(_input: unknown) {
    countEvent();
  }
}

/** natsmesh as in `natsmesh.service`, with three no-op middleware around each handler: app-wide, on the service, on the handler. */
export const startService: StartService = async (url, onEvent) => {
  countEvent = onEvent;
  const app = await createApp({
    services: [BenchService],
    nats: { servers: url },
    logger: createLogger({ level: 'silent' }),
    middleware: [new NoOp('app')],
  });
  await app.start();
  return { stop: () => app.stop() };
};
