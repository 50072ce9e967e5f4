import { ServiceBroker, type BrokerOptions } from 'moleculer';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT, TIMEOUT_MS } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** A Moleculer broker without services, with `options` added to its broker options (metrics). */
export async function moleculerCaller(url: string, options: Partial<BrokerOptions> = {}): Promise<Caller> {
  const broker = new ServiceBroker({
    nodeID: `bench-caller-${process.pid}`,
    transporter: { type: 'NATS', options: { url } },
    logLevel: 'error',
    ...options,
  });
  await broker.start();
  await broker.waitForServices('bench', 20_000);
  const opts = { timeout: TIMEOUT_MS };
  return {
    request: () => broker.call(REQUEST_SUBJECT, PAYLOAD, opts),
    emit: () => void broker.emit(EVENT_SUBJECT, PAYLOAD),
    close: () => broker.stop(),
  };
}

/** A Moleculer broker without services: `broker.call` and `broker.emit`. */
export const createCaller: CreateCaller = (url) => moleculerCaller(url);
