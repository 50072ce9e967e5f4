import 'reflect-metadata';
import { Handle } from '../decorators/handle.decorator';
import { Service } from '../decorators/service.decorator';
import type { ServiceOptions } from '../metadata/options';
import { scanService } from './service-scanner';

function serviceWith(options: ServiceOptions, description?: unknown) {
  @Service('opt.check', options)
  class Checked {
    @Handle('x', { description: description as string })
    x() {}
  }
  return Checked;
}

const invalid = (message: RegExp = /./) => expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(message) });

describe('service options that reach the NATS Service API', () => {
  it.each(['01.2.3', '1.02.3', '1.2.3-rc..1', '1.2.3-01', '1.2.3+', '1.2', 'v1.2.3', '1.2.3-', '1.2.3 '])(
    'refuses version %j, which is not semver',
    (version) => {
      expect(() => scanService(serviceWith({ version }))).toThrow(invalid(new RegExp(`version ${JSON.stringify(version).replace(/[.+]/g, '\\$&')}: .*semver`)));
    },
  );

  it.each(['0.0.0', '1.2.3', '10.20.30', '1.2.3-rc.1', '1.0.0-alpha-a.b-c', '1.0.0-0.3.7', '1.2.3+build.5', '1.0.0-rc.1+build.1-2'])(
    'accepts semver %j',
    (version) => {
      expect(scanService(serviceWith({ version })).version).toBe(version);
    },
  );

  it('refuses metadata whose values are not strings, naming the key', () => {
    expect(() => scanService(serviceWith({ metadata: { team: 'a', replicas: 3 } as never }))).toThrow(invalid(/metadata "replicas" is 3.*string/));
    for (const metadata of [{ on: true }, { nested: { a: '1' } }, { none: null }, 'team=a', ['a']]) {
      expect(() => scanService(serviceWith({ metadata: metadata as never }))).toThrow(invalid());
    }
    expect(scanService(serviceWith({ metadata: { team: 'a', replicas: '3' } })).metadata).toEqual({ team: 'a', replicas: '3' });
  });

  it('refuses descriptions that are not strings (they are served as metadata values)', () => {
    expect(() => scanService(serviceWith({ description: 5 as never }))).toThrow(invalid(/description 5/));
    expect(() => scanService(serviceWith({}, { text: 'x' }))).toThrow(invalid(/@Handle\('x'\) on Checked\.x has description/));
  });
});
