import 'reflect-metadata';
import { BookingService } from '../src/booking/booking.service';
import { RoomsService } from '../src/rooms/rooms.service';
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
});
