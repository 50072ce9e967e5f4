import { Handle, Inject, MeshError, Service } from '@natsmesh/core';
import { ROOMS_CONFIG, type RoomsConfig } from './rooms-config';
import { RoomRepository, type Room } from './room.repository';
import { RoomsService } from './rooms.service';

/** What a room looks out on, new in 2.0.0. */
export type RoomView = 'sea' | 'garden' | 'courtyard';

const VIEW_OF_TYPE: Readonly<Record<Room['type'], RoomView>> = { single: 'courtyard', double: 'garden', suite: 'sea' };

/**
 * Version 2.0.0 of `hotel.rooms`, for canary rollouts (not named `*.service.ts`: the docs, ACLs
 * and alerts scan those for the app's services, and this is a variant of one of them): the same endpoints, and `list` also says
 * what each room looks out on (`view`). With `failPercent` set it fails that share of `list`
 * calls with `UNAVAILABLE`, spread evenly, to show a rollback.
 */
@Service('hotel.rooms', {
  version: '2.0.0',
  description: 'Room inventory: lists rooms with their view, holds one for a booking, frees it again',
  emits: ['app.rooms.info', 'app.rooms.warn'],
})
export class RoomsServiceV2 extends RoomsService {
  // Adds failPercent per call and fails a call each time it passes 100: exactly that share, evenly spread.
  private failDebt = 0;

  constructor(
    rooms: RoomRepository,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
  ) {
    super(rooms);
  }

  /** @throws MeshError `UNAVAILABLE` for the share of calls `failPercent` asks for. */
  @Handle('list', { description: 'Every room with its rate, its view and whether it is free' })
  override list(): (Room & { available: boolean; view: RoomView })[] {
    this.failDebt += this.config.failPercent;
    if (this.failDebt >= 100) {
      this.failDebt -= 100;
      throw new MeshError('UNAVAILABLE', 'hotel.rooms 2.0.0 failed this call on purpose (HOTEL_ROOMS_FAIL_PERCENT): try again, or roll back to 1.0.0.');
    }
    return super.list().map((r) => ({ ...r, view: VIEW_OF_TYPE[r.type] }));
  }
}
