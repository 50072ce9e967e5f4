import { createClient } from '@natsmesh/core';
import { NoOp } from '../no-op.middleware';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** `createClient` as in `natsmesh.caller`, with three no-op client-wide middleware around every request and emit. */
export const createCaller: CreateCaller = async (url): Promise<Caller> => {
  const client = await createClient({ nats: { servers: url }, middleware: [new NoOp('a'), new NoOp('b'), new NoOp('c')] });
  return {
    request: () => client.request(REQUEST_SUBJECT, PAYLOAD),
    emit: () => client.emit(EVENT_SUBJECT, PAYLOAD),
    close: () => client.close(),
  };
};
