import { scanService, type Constructor } from '@natsmesh/core';
import { RoomsService } from './rooms/rooms.service';
import { RoomsServiceV2 } from './rooms/rooms-v2';
import { HOTEL_SERVICES } from './services';

/**
 * The hotel services named in `list` (comma-separated service names, e.g. the HOTEL_SERVICES
 * environment variable: `hotel.booking,hotel.rooms`), all of them when it is empty or absent.
 * One service per process is how each runs as its own NATS user (docs/security.md).
 * `roomsVersion` (HOTEL_ROOMS_VERSION) `2.0.0` runs `hotel.rooms` as {@link RoomsServiceV2},
 * the new version of the canary walk-through; `1.0.0` or nothing runs the first one.
 *
 * @throws Error naming an unknown service and the known ones, or an unknown rooms version.
 */
export function selectHotelServices(list: string | undefined, roomsVersion?: string): readonly Constructor[] {
  const rooms = roomsClass(roomsVersion);
  const services = rooms === RoomsService ? HOTEL_SERVICES : HOTEL_SERVICES.map((c) => (c === RoomsService ? rooms : c));
  const names = (list ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) return services;
  const byName = new Map(services.map((c) => [scanService(c).name, c] as const));
  return names.map((n) => {
    const found = byName.get(n);
    if (found === undefined) throw new Error(`HOTEL_SERVICES names "${n}", which is not a hotel service: use ${[...byName.keys()].join(', ')}.`);
    return found;
  });
}

function roomsClass(version: string | undefined): Constructor {
  if (version === undefined || version === '' || version === '1.0.0') return RoomsService;
  if (version === '2.0.0') return RoomsServiceV2;
  throw new Error(`HOTEL_ROOMS_VERSION is "${version}": hotel.rooms comes as 1.0.0 and 2.0.0.`);
}
