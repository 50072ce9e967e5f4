import { IsEmail, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Handle, On, Service, createApp } from '@natsmesh/core';
import { EVENT_SUBJECT, replyOf } from '../workload';
import type { StartService } from './running-service';

let countEvent: () => void = () => undefined;

class Booking {
  @IsString() @Length(1, 100) guest!: string;
  @IsInt() @Min(1) room!: number;
  @IsInt() @Min(1) @Max(365) nights!: number;
  @IsEmail() email!: string;
  @IsOptional() @IsString() notes?: string;
}

@Service('bench')
class BenchService {
  @Handle('echo')
  echo(input: Booking) {
    return replyOf(input);
  }

  @On(EVENT_SUBJECT)
  evt(_input: Booking) {
    countEvent();
  }
}

/**
 * natsmesh with every default on: a class-validator DTO on the endpoint and the event, the
 * default logger (info, JSON lines on stderr), default timeouts.
 */
export const startService: StartService = async (url, onEvent) => {
  countEvent = onEvent;
  const app = await createApp({ services: [BenchService], nats: { servers: url } });
  await app.start();
  return { stop: () => app.stop() };
};
