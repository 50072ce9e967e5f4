import { formatUptime } from './uptime';

describe('formatUptime', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [42_300, '42s'],
    [185_000, '3m05s'],
    [2 * 3600_000 + 7 * 60_000 + 59_000, '2h07m'],
    [4 * 86400_000 + 3 * 3600_000, '4d03h'],
    [-1, '-'],
    [Number.NaN, '-'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatUptime(ms)).toBe(text);
  });
});
