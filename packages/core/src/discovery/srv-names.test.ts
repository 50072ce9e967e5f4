import 'reflect-metadata';
import { createApp } from '../app/create-app';
import { Handle } from '../decorators/handle.decorator';
import { Service } from '../decorators/service.decorator';
import { MeshError } from '../errors/mesh-error';
import { createLogger } from '../logging/logger';
import type { Constructor } from '../metadata/options';

const logger = createLogger({ level: 'silent' });

@Service('hotel.booking')
class DottedBooking {
  @Handle('save')
  save() {}
}

@Service('hotel_booking')
class UnderscoredBooking {
  @Handle('get')
  get() {}
}

@Service('hotel.rooms')
class TwoListings {
  @Handle('list.all')
  listDotted() {}

  @Handle('list_all')
  listUnderscored() {}
}

async function errorOf(services: Constructor[], discovery?: false): Promise<MeshError | undefined> {
  try {
    await createApp({ services, logger, discovery });
  } catch (err) {
    if (MeshError.is(err)) return err;
    throw err;
  }
  return undefined;
}

describe('$SRV names', () => {
  it('refuses two services that map to one $SRV name', async () => {
    const err = await errorOf([DottedBooking, UnderscoredBooking]);
    expect(err?.code).toBe('INVALID_OPTIONS');
    expect(err?.message).toMatch(/"hotel\.booking" \(DottedBooking\) and "hotel_booking" \(UnderscoredBooking\) are both "hotel_booking" on \$SRV/);
  });

  it('refuses two endpoints of a service that map to one $SRV endpoint name', async () => {
    const err = await errorOf([TwoListings]);
    expect(err?.code).toBe('INVALID_OPTIONS');
    expect(err?.message).toMatch(/"list\.all" \(TwoListings\.listDotted\) and "list_all" \(TwoListings\.listUnderscored\)/);
  });

  it('lets them be when discovery is off, as nothing answers $SRV then', async () => {
    expect(await errorOf([DottedBooking, UnderscoredBooking], false)).toBeUndefined();
    expect(await errorOf([TwoListings], false)).toBeUndefined();
  });
});
