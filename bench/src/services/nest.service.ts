import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { EVENT_SUBJECT, REQUEST_SUBJECT, replyOf } from '../workload';
import type { StartService } from './running-service';

let countEvent: () => void = () => undefined;

@Controller()
class BenchController {
  @MessagePattern(REQUEST_SUBJECT)
  echo(@Payload() input: { guest: string; room: number }) {
    return replyOf(input);
  }

  @EventPattern(EVENT_SUBJECT)
  evt(@Payload() _input: unknown) {
    countEvent();
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

/** NestJS 11 microservice with the NATS transport: `@MessagePattern` and `@EventPattern`. */
export const startService: StartService = async (url, onEvent) => {
  countEvent = onEvent;
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BenchModule, {
    transport: Transport.NATS,
    options: { servers: [url] },
    logger: ['error'],
  });
  await app.listen();
  return { stop: () => app.close() };
};
