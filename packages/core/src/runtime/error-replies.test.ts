import { MeshError } from '../errors/mesh-error';
import { errorReplies, MAX_ERROR_HEADER_LENGTH } from './error-replies';

describe('error reply forms', () => {
  it('start with the error as it is and end with a small constant INTERNAL reply', () => {
    const forms = [...errorReplies(new MeshError('CONFLICT', 'Room 3 is booked', { room: 3 }))];
    expect(forms[0]).toMatchObject({ header: 'Room 3 is booked', status: 409, body: { code: 'CONFLICT', message: 'Room 3 is booked', details: { room: 3 } } });
    expect(forms[1]).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect(forms[1].body).not.toHaveProperty('details');
    expect(forms.at(-1)).toMatchObject({ status: 500, body: { code: 'INTERNAL' }, last: true });
  });

  it('halve array details before dropping them', () => {
    const forms = [...errorReplies(new MeshError('VALIDATION_FAILED', 'Invalid', [1, 2, 3, 4, 5, 6, 7, 8]))];
    expect(forms.map((f) => (f.body.details as unknown[] | undefined)?.length)).toEqual([8, 4, 2, 1, undefined, undefined]);
    expect(forms[1].body.message).toMatch(/4 of 8 details not shown/);
  });

  it('bound the header message without cutting a surrogate pair, and drop line breaks', () => {
    const [first] = errorReplies(new MeshError('NOT_FOUND', `a\r\nb${'😀'.repeat(MAX_ERROR_HEADER_LENGTH)}`));
    expect(first.header.length).toBeLessThanOrEqual(MAX_ERROR_HEADER_LENGTH);
    expect(first.header).toMatch(/^a b😀+…$/u);
  });

  it('come down to the constant INTERNAL reply when a field of the error cannot be read', () => {
    const opaque = Object.defineProperty(new MeshError('CONFLICT', 'hidden'), 'message', { get: () => { throw new Error('message getter'); } });
    const forms = [...errorReplies(opaque)];
    expect(forms).toHaveLength(1);
    expect(forms[0]).toMatchObject({ status: 500, body: { code: 'INTERNAL' }, last: true });
  });
});
