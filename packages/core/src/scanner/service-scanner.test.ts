import 'reflect-metadata';
import { IsString } from 'class-validator';
import { injectable } from 'tsyringe';
import { Emits } from '../decorators/emits.decorator';
import { Handle } from '../decorators/handle.decorator';
import { Inject } from '../decorators/inject.decorator';
import { On } from '../decorators/on.decorator';
import { Service } from '../decorators/service.decorator';
import { MeshError } from '../errors/mesh-error';
import { scanService } from './service-scanner';

class SaveBooking {
  @IsString() guest!: string;
}

@injectable()
class Repo {}

@Service('hotel.base')
class BaseService {
  @Handle('ping')
  ping() {
    return 'base';
  }

  @Handle('save')
  save(input: SaveBooking) {
    return input;
  }

  @On('app.*.error')
  onError() {}
}

@Emits('app.booking.save', { payload: SaveBooking, description: 'a booking was saved' })
@Service('hotel.booking', { version: '1.2.0', description: 'Room bookings', metadata: { team: 'a' }, calls: ['hotel.rooms.reserve'] })
class BookingService extends BaseService {
  constructor(readonly repo: Repo) {
    super();
  }

  @Handle('ping', { timeout: 250, description: 'overrides the base' })
  override ping() {
    return 'derived';
  }

  @Handle('list', { subject: 'hotel.bookings.all', queue: 'readers' })
  list(filter: unknown) {
    return filter;
  }

  @On('app.*.save', { queue: true })
  audit() {}

  @On('app.>', { queue: 'archivists' })
  archive() {}
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return MeshError.is(err) ? err.code : 'not a MeshError';
  }
  return undefined;
}

describe('scanService', () => {
  const def = scanService(BookingService);

  it('reads the service options with defaults', () => {
    expect(def).toMatchObject({
      name: 'hotel.booking',
      version: '1.2.0',
      description: 'Room bookings',
      queue: 'hotel.booking',
      metadata: { team: 'a' },
      calls: ['hotel.rooms.reserve'],
      target: BookingService,
    });
    expect(def.emits).toEqual([{ subject: 'app.booking.save', payload: SaveBooking, description: 'a booking was saved' }]);
  });

  it('inherits base handlers and lets the subclass override one', () => {
    const byName = Object.fromEntries(def.endpoints.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['list', 'ping', 'save']);
    expect(byName.ping).toMatchObject({ subject: 'hotel.booking.ping', timeout: 250, description: 'overrides the base' });
    expect(byName.save).toMatchObject({ subject: 'hotel.booking.save', queue: 'hotel.booking', input: SaveBooking });
    expect(byName.list).toMatchObject({ subject: 'hotel.bookings.all', queue: 'readers', input: undefined });
  });

  it('maps @On queue options to queue groups', () => {
    const byMethod = Object.fromEntries(def.subscriptions.map((s) => [s.method, s]));
    expect(byMethod.onError.queue).toBeUndefined();
    // queue: true gets a group of its own, so it never shares messages with another subscription.
    expect(byMethod.audit.queue).toBe('hotel.booking.audit');
    expect(byMethod.archive.queue).toBe('archivists');
  });

  it('numbers the queue groups of one method queued on several patterns', () => {
    @Service('multi')
    class Multi {
      @On('multi.a', { queue: true })
      @On('multi.*', { queue: true })
      on() {}
    }
    expect(scanService(Multi).subscriptions.map((s) => `${s.pattern} ${s.queue}`).sort()).toEqual(['multi.* multi.on.1', 'multi.a multi.on.2']);
  });

  it('records constructor dependencies by type', () => {
    expect(def.dependencies).toEqual([{ index: 0, token: undefined }]);
  });

  it('returns a frozen definition', () => {
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.endpoints[0])).toBe(true);
    expect(() => (def.endpoints as unknown as unknown[]).push({})).toThrow(TypeError);
  });

  it('rejects a class without @Service', () => {
    class Plain {}
    expect(codeOf(() => scanService(Plain))).toBe('NOT_A_SERVICE');
  });

  it('rejects wildcards and empty tokens in @Handle subjects', () => {
    @Service('bad.wild')
    class Wild {
      @Handle('get.*')
      get() {}
    }
    @Service('bad.empty')
    class Empty {
      @Handle('x', { subject: 'a..b' })
      get() {}
    }
    @Service('bad name')
    class Spaced {}
    expect(codeOf(() => scanService(Wild))).toBe('INVALID_SUBJECT');
    expect(codeOf(() => scanService(Empty))).toBe('INVALID_SUBJECT');
    expect(codeOf(() => scanService(Spaced))).toBe('INVALID_SUBJECT');
  });

  it('rejects endpoints on subjects NATS and natsmesh reserve ($SRV, $NATSMESH, $JS, _INBOX)', () => {
    @Service('$SRV')
    class SrvHijack {
      @Handle('PING')
      ping() {
        return { hijacked: true };
      }
    }
    @Service('ok.name')
    class DiscoverHijack {
      @Handle('d', { subject: '$NATSMESH.DISCOVER' })
      d() {}
    }
    @Service('ok.inbox')
    class InboxReader {
      @Handle('x', { subject: '_INBOX.x' })
      x() {}
    }
    @Service('ok.js')
    class JsApi {
      @Handle('x', { subject: '$JS.API.INFO' })
      x() {}
    }
    for (const cls of [SrvHijack, DiscoverHijack, InboxReader, JsApi]) {
      const err = (() => {
        try {
          scanService(cls);
        } catch (e) {
          return e as MeshError;
        }
        return undefined;
      })();
      expect(err).toMatchObject({ code: 'INVALID_SUBJECT', message: expect.stringContaining('is reserved') });
    }
    // A "$" inside a later token, or an @On listening on $SRV (it answers nothing), is not refused.
    @Service('ok.dollar')
    class Fine {
      @Handle('x', { subject: 'prices.$usd' })
      x() {}
      @On('$SRV.PING')
      watch() {}
    }
    expect(scanService(Fine).endpoints[0].subject).toBe('prices.$usd');
  });

  it('rejects ">" that is not the last token of an @On pattern', () => {
    @Service('bad.on')
    class BadOn {
      @On('app.>.x')
      on() {}
    }
    expect(codeOf(() => scanService(BadOn))).toBe('INVALID_SUBJECT');
  });

  it('rejects a version that is not semver and a non-positive timeout', () => {
    @Service('bad.version', { version: 'one' })
    class BadVersion {}
    @Service('bad.timeout')
    class BadTimeout {
      @Handle('x', { timeout: 0 })
      x() {}
    }
    expect(codeOf(() => scanService(BadVersion))).toBe('INVALID_OPTIONS');
    expect(codeOf(() => scanService(BadTimeout))).toBe('INVALID_OPTIONS');
  });

  it('names the class, the parameter index and the fix for an interface-typed dependency', () => {
    interface Config {
      url: string;
    }
    @Service('bad.di')
    class NeedsConfig {
      constructor(readonly repo: Repo, readonly config: Config) {}
    }
    expect(() => scanService(NeedsConfig)).toThrow(/NeedsConfig constructor parameter #1 .*@Inject\(token\)/);
    expect(codeOf(() => scanService(NeedsConfig))).toBe('UNRESOLVED_DEPENDENCY');
  });

  it('accepts an interface-typed dependency with @Inject', () => {
    interface Config {
      url: string;
    }
    @Service('ok.di')
    class WithToken {
      constructor(@Inject('CONFIG') readonly config: Config) {}
    }
    expect(scanService(WithToken).dependencies).toEqual([{ index: 0, token: 'CONFIG' }]);
  });
});
