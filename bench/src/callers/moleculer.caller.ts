import { ServiceBroker } from 'moleculer';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT, TIMEOUT_MS } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** A Moleculer broker without services: `broker.call` and `broker.emit`. */
export const createCaller: CreateCaller = async (url): Promise<Caller> => {
  const broker = new ServiceBroker({
    nodeID: `bench-caller-${process.pid}`,
    transporter: { type: 'NATS', options: { url } },
    logLevel: 'error',
  });
  await broker.start();
  await broker.waitForServices('bench', 20_000);
  const opts = { timeout: TIMEOUT_MS };
  return {
    request: () => broker.call(REQUEST_SUBJECT, PAYLOAD, opts),
    emit: () => void broker.emit(EVENT_SUBJECT, PAYLOAD),
    close: () => broker.stop(),
  };
};
