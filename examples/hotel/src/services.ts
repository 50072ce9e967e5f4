import type { Constructor } from '@natsmesh/core';
import { BookingService } from './booking/booking.service';
import { PaymentsService } from './payments/payments.service';
import { RoomsService } from './rooms/rooms.service';
import { ComplianceService } from './subscribers/compliance.service';
import { LoggingService } from './subscribers/logging.service';
import { PersistenceService } from './subscribers/persistence.service';

/** Every service class of the hotel app. */
export const HOTEL_SERVICES: readonly Constructor[] = [
  BookingService,
  RoomsService,
  PaymentsService,
  LoggingService,
  ComplianceService,
  PersistenceService,
];
