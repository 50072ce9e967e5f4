import 'reflect-metadata';
import { BookingService } from '../src/booking/booking.service';
import { RoomsService } from '../src/rooms/rooms.service';
import { RoomsServiceV2 } from '../src/rooms/rooms-v2';
import { selectHotelServices } from '../src/select-services';
import { HOTEL_SERVICES } from '../src/services';

describe('HOTEL_SERVICES: which services one hotel process runs', () => {
  it('runs all of them when unset or empty', () => {
    expect(selectHotelServices(undefined)).toBe(HOTEL_SERVICES);
    expect(selectHotelServices(' ')).toBe(HOTEL_SERVICES);
  });

  it('runs the ones named, in the order named', () => {
    expect(selectHotelServices('hotel.rooms, hotel.booking')).toEqual([RoomsService, BookingService]);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => selectHotelServices('hotel.spa')).toThrow(/"hotel\.spa", which is not a hotel service: use hotel\.booking, hotel\.rooms/);
  });

  it('HOTEL_ROOMS_VERSION=2.0.0 runs hotel.rooms as its version 2.0.0; an unknown version is refused', () => {
    expect(selectHotelServices('hotel.rooms', '2.0.0')).toEqual([RoomsServiceV2]);
    expect(selectHotelServices(undefined, '2.0.0')).toContain(RoomsServiceV2);
    expect(selectHotelServices(undefined, '2.0.0')).not.toContain(RoomsService);
    expect(selectHotelServices('hotel.rooms', '1.0.0')).toEqual([RoomsService]);
    expect(() => selectHotelServices('hotel.rooms', '3.0.0')).toThrow(/HOTEL_ROOMS_VERSION is "3\.0\.0": hotel\.rooms comes as 1\.0\.0 and 2\.0\.0/);
  });
});
