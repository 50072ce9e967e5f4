import { createClient, type ClientOptions } from '@natsmesh/core';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** `createClient` with `options` added to its defaults (metrics, tracing). */
export async function natsmeshCaller(url: string, options: Partial<ClientOptions> = {}): Promise<Caller> {
  const client = await createClient({ nats: { servers: url }, ...options });
  return {
    request: () => client.request(REQUEST_SUBJECT, PAYLOAD),
    emit: () => client.emit(EVENT_SUBJECT, PAYLOAD),
    close: () => client.close(),
  };
}

/** `createClient` with its defaults (5 s timeout): `client.request` and `client.emit`. */
export const createCaller: CreateCaller = (url) => natsmeshCaller(url);
