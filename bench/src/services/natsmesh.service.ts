import { Handle, On, Service, createApp, createLogger, type AppOptions } from '@natsmesh/core';
import { EVENT_SUBJECT, replyOf } from '../workload';
import type { StartService } from './running-service';

let countEvent: () => void = () => undefined;

@Service('bench')
export class BenchService {
  @Handle('echo')
  echo(input: unknown) {
    return replyOf(input as { guest: string; room: number });
  }

  @On(EVENT_SUBJECT)
  evt(_input: unknown) {
    countEvent();
  }
}

/** Starts the natsmesh bench service with `options` added to its app options (metrics, tracing). */
export async function startNatsmesh(url: string, onEvent: () => void, options: Partial<AppOptions> = {}) {
  countEvent = onEvent;
  const app = await createApp({ services: [BenchService], nats: { servers: url }, logger: createLogger({ level: 'silent' }), ...options });
  await app.start();
  return { stop: () => app.stop() };
}

/** natsmesh without a DTO: the input is decoded JSON, passed on as is. */
export const startService: StartService = (url, onEvent) => startNatsmesh(url, onEvent);
