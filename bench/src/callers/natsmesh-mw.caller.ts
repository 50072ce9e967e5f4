import { createClient, type Middleware, type Next } from '@natsmesh/core';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** A client middleware that does nothing but pass on. */
class NoOp implements Middleware {
  constructor(readonly name: string) {}

  call(_ctx: unknown, next: Next): unknown {
    return next();
  }

  emit(_ctx: unknown, next: Next): unknown {
    return next();
  }
}

/** `createClient` as in `natsmesh.caller`, with three no-op client-wide middleware around every request and emit. */
export const createCaller: CreateCaller = async (url): Promise<Caller> => {
  const client = await createClient({ nats: { servers: url }, middleware: [new NoOp('a'), new NoOp('b'), new NoOp('c')] });
  return {
    request: () => client.request(REQUEST_SUBJECT, PAYLOAD),
    emit: () => client.emit(EVENT_SUBJECT, PAYLOAD),
    close: () => client.close(),
  };
};
