import { scanService, type Constructor } from '@natsmesh/core';
import { HOTEL_SERVICES } from './services';

/**
 * The hotel services named in `list` (comma-separated service names, e.g. the HOTEL_SERVICES
 * environment variable: `hotel.booking,hotel.rooms`), all of them when it is empty or absent.
 * One service per process is how each runs as its own NATS user (docs/security.md).
 *
 * @throws Error naming an unknown service and the known ones.
 */
export function selectHotelServices(list: string | undefined): readonly Constructor[] {
  const names = (list ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) return HOTEL_SERVICES;
  const byName = new Map(HOTEL_SERVICES.map((c) => [scanService(c).name, c] as const));
  return names.map((n) => {
    const found = byName.get(n);
    if (found === undefined) throw new Error(`HOTEL_SERVICES names "${n}", which is not a hotel service: use ${[...byName.keys()].join(', ')}.`);
    return found;
  });
}
