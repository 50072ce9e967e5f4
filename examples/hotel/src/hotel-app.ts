import 'reflect-metadata';
import { createApp, type App, type AppOptions } from '@natsmesh/core';
import { DEFAULT_PAYMENT_CONFIG, PAYMENT_CONFIG, type PaymentConfig } from './payments/payment-config';
import { DEFAULT_ROOMS_CONFIG, ROOMS_CONFIG, type RoomsConfig } from './rooms/rooms-config';
import { HOTEL_SERVICES } from './services';

/** Options of {@link createHotelApp}: the app's options, plus the payment configuration. */
export interface HotelAppOptions extends Omit<AppOptions, 'services' | 'providers'> {
  payments?: Partial<PaymentConfig>;
  /** How `hotel.rooms` 2.0.0 behaves (see `RoomsServiceV2`). */
  rooms?: Partial<RoomsConfig>;
  /** The services this app hosts; default all of them. */
  services?: AppOptions['services'];
}

/**
 * Creates the hotel app with all its services. The repositories and the event store are
 * injected by type: each app instance builds one of each, shared by the services that
 * inject them and reachable through `app.container.resolve(ReceivedEvents)`.
 */
export function createHotelApp(options: HotelAppOptions = {}): Promise<App> {
  const { payments, rooms, services, ...appOptions } = options;
  return createApp({
    ...appOptions,
    services: services ?? HOTEL_SERVICES,
    providers: [
      { token: PAYMENT_CONFIG, useValue: { ...DEFAULT_PAYMENT_CONFIG, ...payments } },
      { token: ROOMS_CONFIG, useValue: { ...DEFAULT_ROOMS_CONFIG, ...rooms } },
    ],
  });
}
