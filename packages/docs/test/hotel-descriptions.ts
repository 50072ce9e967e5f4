import 'reflect-metadata';
import { describeService, scanService, type ServiceDescription } from '@natsmesh/core';
import { HOTEL_SERVICES } from '../../../examples/hotel/src/services';

/** The hotel example's service descriptions, read from its classes without connecting to anything. */
export function hotelDescriptions(): ServiceDescription[] {
  return HOTEL_SERVICES.map((cls) => describeService(scanService(cls)));
}
