import { MeshError } from '../errors/mesh-error';
import { backoffDelay, compileRetry } from './retry-policy';

describe('retry policy', () => {
  it('refuses codes that never succeed on a retry', () => {
    let code = '';
    try {
      compileRetry({ retryOn: ['TIMEOUT', 'VALIDATION_FAILED'] }, 'x');
    } catch (err) {
      code = (err as MeshError).code;
    }
    expect(code).toBe('INVALID_OPTIONS');
    expect(() => compileRetry({ retryOn: ['FORBIDDEN'] }, 'x')).toThrow(/FORBIDDEN/);
    expect(() => compileRetry({ attempts: 0 }, 'x')).toThrow(/attempts/);
  });

  it('backs off exponentially with full jitter, capped, and honours retryAfterMs', () => {
    const p = compileRetry({ initialDelay: 10, factor: 2, maxDelay: 50 }, 'x');
    const err = new MeshError('UNAVAILABLE', 'x');
    for (let i = 0; i < 50; i++) {
      expect(backoffDelay(p, 1, err)).toBeLessThan(10);
      expect(backoffDelay(p, 3, err)).toBeLessThan(40);
      expect(backoffDelay(p, 10, err)).toBeLessThan(50);
    }
    expect(backoffDelay(p, 1, new MeshError('RATE_LIMITED', 'x', { retryAfterMs: 200 }))).toBe(200);
  });
});
