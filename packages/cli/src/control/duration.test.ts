import { formatDuration, parseDuration } from './duration';

describe('durations with units', () => {
  it('reads units and their sums, and refuses bare numbers, unknown units and fractions of a millisecond', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2d')).toBe(172_800_000);
    for (const bad of ['', '30', '10 m', '10min', 's', '1.5ms', '-5s', '5s ', 'soon']) expect({ bad, ms: parseDuration(bad) }).toEqual({ bad, ms: undefined });
  });

  it('writes what it reads back to the same milliseconds', () => {
    for (const ms of [0, 1, 250, 1_500, 30_000, 90_000, 600_000, 5_400_000, 86_400_000 + 1]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(30_000)).toBe('30s');
  });
});
