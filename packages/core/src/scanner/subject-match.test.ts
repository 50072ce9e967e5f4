import { hasWildcard, subjectCovers as subjectMatches, subjectsOverlap } from './subject-match';

describe('subjectMatches', () => {
  it.each([
    ['app.*.error', 'app.payments.error', true],
    ['app.*.error', 'app.payments.warn', false],
    ['app.*.error', 'app.a.b.error', false],
    ['app.>', 'app.booking.save', true],
    ['app.>', 'app.x', true],
    ['app.>', 'app', false],
    ['>', 'anything.at.all', true],
    ['*', 'one', true],
    ['*', 'one.two', false],
    ['a.b', 'a.b', true],
    ['a.b', 'a.b.c', false],
    ['a.b.c', 'a.b', false],
  ])('%s against %s is %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('subjectsOverlap', () => {
  it.each([
    ['app.booking.*', 'app.*.save', true],
    ['app.booking.*', 'app.*.save.now', false],
    ['app.>', 'app.*', true],
    ['app.>', 'app', false],
    ['app', 'app.>', false],
    ['a.*.c', 'a.b.d', false],
    ['a.>', 'b.>', false],
    ['>', 'x.y', true],
    ['a.b', 'a.b', true],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(subjectsOverlap(a, b)).toBe(expected);
    expect(subjectsOverlap(b, a)).toBe(expected);
  });

  it('agrees with subjectMatches when one side is a plain subject', () => {
    expect(subjectsOverlap('app.rooms.info', 'app.*.info')).toBe(subjectMatches('app.*.info', 'app.rooms.info'));
    expect(hasWildcard('app.*.info')).toBe(true);
    expect(hasWildcard('app.rooms.info')).toBe(false);
  });
});
