import { On, Service, type Context } from '@natsmesh/core';
import type { HotelEvent } from './hotel-event';
import { ReceivedEvents } from './received-events';

/**
 * Audits every change (saves and deletes of any service). Load-balanced: with several app
 * instances running, one of them audits each event.
 */
@Service('hotel.compliance', { version: '1.0.0', description: 'Audits saves and deletes of every service, once each' })
export class ComplianceService {
  constructor(private readonly received: ReceivedEvents) {}

  @On('app.*.save', { queue: true, description: 'One instance audits each save' })
  onSave(evt: HotelEvent, ctx: Context): void {
    this.received.record('compliance', evt, ctx);
  }

  @On('app.*.delete', { queue: true, description: 'One instance audits each delete' })
  onDelete(evt: HotelEvent, ctx: Context): void {
    this.received.record('compliance', evt, ctx);
  }
}
