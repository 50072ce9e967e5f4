import { MeshError } from './mesh-error';
import { toMeshError } from './to-mesh-error';

describe('MeshError status', () => {
  it.each([NaN, 200, '404', 399, 600, 404.5, Infinity, null])('falls back to the code\'s status for a status of %p', (status) => {
    expect(new MeshError('NOT_FOUND', 'm', undefined, { status: status as number }).status).toBe(404);
    expect(new MeshError('WEIRD', 'm', undefined, { status: status as number }).status).toBe(500);
  });

  it('keeps an integer status from 400 to 599', () => {
    expect(new MeshError('WEIRD', 'm', undefined, { status: 418 }).status).toBe(418);
    expect(new MeshError('NOT_FOUND', 'm', undefined, { status: 599 }).status).toBe(599);
  });

  it('gives 500 to an unknown code named like an Object.prototype member', () => {
    expect(new MeshError('toString', 'm').status).toBe(500);
  });
});

describe('MeshError.is and toMeshError on values that cannot be read', () => {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const throwingName = () => Object.defineProperty(new Error('x'), 'name', { get: () => { throw new Error('name getter'); } });

  it.each([
    ['a revoked Proxy', revoked],
    ['an Error whose name getter throws', throwingName],
  ])('MeshError.is says false for %s', (_, make) => {
    expect(MeshError.is(make())).toBe(false);
  });

  it.each([
    ['a revoked Proxy', revoked],
    ['an Error whose name getter throws', throwingName],
    ['an object whose code getter throws', () => ({ get code() { throw new Error('code getter'); } })],
    ['a MeshError-shaped Error whose status getter throws', () => Object.defineProperty(Object.assign(new Error('x'), { name: 'MeshError', code: 'X' }), 'status', { get: () => { throw new Error('s'); } })],
  ])('toMeshError makes %s an opaque INTERNAL error', (_, make) => {
    expect(toMeshError(make(), 'fallback')).toMatchObject({ code: 'INTERNAL', status: 500, message: 'fallback' });
  });

  it('rebuilds a MeshError-shaped Error as a MeshError of this package, with a checked status', () => {
    const foreign = Object.assign(new Error('Room 3 is taken'), { name: 'MeshError', code: 'ROOM_TAKEN', status: '409', details: { room: 3 } });
    const err = toMeshError(foreign);
    expect(err).toBeInstanceOf(MeshError);
    expect(err).toMatchObject({ code: 'ROOM_TAKEN', status: 500, message: 'Room 3 is taken', details: { room: 3 } });
    expect(err.toJSON()).toEqual({ code: 'ROOM_TAKEN', message: 'Room 3 is taken', details: { room: 3 } });
  });
});
