import { createClient } from '@natsmesh/core';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** `createClient` with its defaults (5 s timeout): `client.request` and `client.emit`. */
export const createCaller: CreateCaller = async (url): Promise<Caller> => {
  const client = await createClient({ nats: { servers: url } });
  return {
    request: () => client.request(REQUEST_SUBJECT, PAYLOAD),
    emit: () => client.emit(EVENT_SUBJECT, PAYLOAD),
    close: () => client.close(),
  };
};
