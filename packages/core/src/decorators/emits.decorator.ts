import { metadataRegistry } from '../metadata/metadata-registry';
import type { Constructor, EmitsOptions } from '../metadata/options';

/**
 * Declares an event subject the service publishes, for docs and ACLs. Stack it once per subject.
 *
 * @example
 * \@Emits('app.booking.save', { payload: BookingSaved })
 * \@Service('hotel.booking')
 * class BookingService {}
 */
export function Emits(subject: string, options: EmitsOptions = {}): ClassDecorator {
  return (target) => {
    metadataRegistry.edit(target as unknown as Constructor).emits.push({ subject, options: { ...options } });
  };
}
