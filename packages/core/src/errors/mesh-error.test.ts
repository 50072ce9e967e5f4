import { MeshError } from './mesh-error';

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
