import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT, TIMEOUT_MS } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** A NestJS `ClientProxy` for the NATS transport: `send` and `emit`. */
export const createCaller: CreateCaller = async (url): Promise<Caller> => {
  Logger.overrideLogger(['error']);
  const client = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [url] } }) as ClientProxy;
  await client.connect();
  return {
    request: () => firstValueFrom(client.send(REQUEST_SUBJECT, PAYLOAD).pipe(timeout(TIMEOUT_MS))),
    // emit() is hot: it publishes without a subscriber.
    emit: () => void client.emit(EVENT_SUBJECT, PAYLOAD),
    close: () => client.close(),
  };
};
