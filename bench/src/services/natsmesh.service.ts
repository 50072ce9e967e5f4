import { Handle, On, Service, createApp, createLogger } from '@natsmesh/core';
import { EVENT_SUBJECT, replyOf } from '../workload';
import type { StartService } from './running-service';

let countEvent: () => void = () => undefined;

@Service('bench')
class BenchService {
  @Handle('echo')
  echo(input: unknown) {
    return replyOf(input as { guest: string; room: number });
  }

  @On(EVENT_SUBJECT)
  evt(_input: unknown) {
    countEvent();
  }
}

/** natsmesh without a DTO: the input is decoded JSON, passed on as is. */
export const startService: StartService = async (url, onEvent) => {
  countEvent = onEvent;
  const app = await createApp({ services: [BenchService], nats: { servers: url }, logger: createLogger({ level: 'silent' }) });
  await app.start();
  return { stop: () => app.stop() };
};
