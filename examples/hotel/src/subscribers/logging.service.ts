import { On, Service, type Context } from '@natsmesh/core';
import type { HotelEvent } from './hotel-event';
import { ReceivedEvents } from './received-events';

/** Writes the error, warning and info events of every service to the log, at the matching level. */
@Service('hotel.logging', { version: '1.0.0', description: 'Logs error, warn and info events of every service' })
export class LoggingService {
  constructor(private readonly received: ReceivedEvents) {}

  @On('app.*.error', { description: 'Every instance logs every error event' })
  onError(evt: HotelEvent, ctx: Context): void {
    this.received.record('logging', evt, ctx);
    ctx.log.error({ event: evt }, evt.message ?? ctx.subject);
  }

  @On('app.*.warn')
  onWarn(evt: HotelEvent, ctx: Context): void {
    this.received.record('logging', evt, ctx);
    ctx.log.warn({ event: evt }, evt.message ?? ctx.subject);
  }

  @On('app.*.info')
  onInfo(evt: HotelEvent, ctx: Context): void {
    this.received.record('logging', evt, ctx);
    ctx.log.info({ event: evt }, evt.message ?? ctx.subject);
  }
}
