import { injectable } from 'tsyringe';
import { constructorParamTypes } from '../metadata/design-types';
import { metadataRegistry } from '../metadata/metadata-registry';
import type { Constructor, ServiceOptions } from '../metadata/options';

/**
 * Marks a class as a natsmesh service. `name` is a dot-separated subject prefix: endpoint
 * `save` of service `hotel.booking` listens on `hotel.booking.save`. The class is built by
 * dependency injection (constructor parameters resolved by type), once per app.
 *
 * @example
 * \@Service('hotel.booking', { version: '1.2.0', description: 'Room bookings' })
 * class BookingService { constructor(private readonly repo: BookingRepo) {} }
 */
export function Service(name: string, options: ServiceOptions = {}): ClassDecorator {
  return (target) => {
    const ctor = target as unknown as Constructor;
    injectable()(ctor);
    metadataRegistry.edit(ctor).service = { name, options: { ...options }, paramTypes: constructorParamTypes(ctor) };
  };
}
