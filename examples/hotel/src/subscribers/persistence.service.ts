import { On, Service, type Context } from '@natsmesh/core';
import type { HotelEvent } from './hotel-event';
import { ReceivedEvents } from './received-events';

/** Keeps a log of every `app.>` event, whatever the service and kind. */
@Service('hotel.persistence', { version: '1.0.0', description: 'Keeps an event log of everything published under app.>' })
export class PersistenceService {
  constructor(private readonly received: ReceivedEvents) {}

  @On('app.>', { description: 'Every event of every service' })
  store(evt: HotelEvent, ctx: Context): void {
    this.received.record('persistence', evt, ctx);
  }
}
