import { injectable } from 'tsyringe';
import { MeshError } from '../errors/mesh-error';
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
 * @throws MeshError `INVALID_OPTIONS` when the class already has a `@Service`.
 */
export function Service(name: string, options: ServiceOptions = {}): ClassDecorator {
  return (target) => {
    const ctor = target as unknown as Constructor;
    const record = metadataRegistry.edit(ctor);
    if (record.service !== undefined) {
      throw new MeshError(
        'INVALID_OPTIONS',
        `${ctor.name} has two @Service decorators ('${record.service.name}' and '${name}'): keep one; a class is one service.`,
      );
    }
    injectable()(ctor);
    record.service = { name, options: { ...options }, paramTypes: constructorParamTypes(ctor) };
  };
}
