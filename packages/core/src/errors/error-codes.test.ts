import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, codeOfStatus, statusOfCode } from './error-codes';
import { MeshError } from './mesh-error';
import { toMeshError } from './to-mesh-error';

describe('error codes', () => {
  it('are all documented in docs/errors.md with their status', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/errors.md'), 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(doc).toContain(`| \`${code}\` | ${status} |`);
    }
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \| \d+ \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('map statuses both ways', () => {
    expect(statusOfCode('VALIDATION_FAILED')).toBe(400);
    expect(statusOfCode('ROOM_TAKEN')).toBe(500);
    expect(codeOfStatus(404)).toBe('NOT_FOUND');
    expect(codeOfStatus(418)).toBe('BAD_REQUEST');
    expect(codeOfStatus(502)).toBe('INTERNAL');
  });
});

describe('MeshError', () => {
  it('carries code, status, details and cause, and serialises without the stack', () => {
    const cause = new Error('db down');
    const err = new MeshError('CONFLICT', 'Room 3 is booked', { room: 3 }, { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'MeshError', code: 'CONFLICT', status: 409, details: { room: 3 }, cause });
    expect(JSON.parse(JSON.stringify(err))).toEqual({ code: 'CONFLICT', message: 'Room 3 is booked', details: { room: 3 } });
  });

  it('lets a custom code set its own status', () => {
    expect(new MeshError('ROOM_TAKEN', 'x', undefined, { status: 409 }).status).toBe(409);
  });
});

describe('toMeshError', () => {
  it('keeps MeshErrors and hides unknown errors behind INTERNAL', () => {
    const mesh = new MeshError('NOT_FOUND', 'x');
    expect(toMeshError(mesh)).toBe(mesh);
    const hidden = toMeshError(new TypeError('secret internals'), 'Internal error');
    expect(hidden).toMatchObject({ code: 'INTERNAL', status: 500, message: 'Internal error' });
    expect(toMeshError('a string')).toMatchObject({ code: 'INTERNAL' });
  });

  it('maps nats.js error codes', () => {
    const natsError = Object.assign(new Error('MAX_PAYLOAD_EXCEEDED'), { name: 'NatsError', code: 'MAX_PAYLOAD_EXCEEDED' });
    expect(toMeshError(natsError)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
  });
});
