import { terminalSafe } from './terminal-safe';

describe('terminalSafe', () => {
  it('shows escape sequences and other control characters as text, keeping tabs and line breaks', () => {
    expect(terminalSafe('VALIDATION_FAILED: \u001b[2Jgone\r\u0007\u009b31m')).toBe('VALIDATION_FAILED: \\u001b[2Jgone\\u000d\\u0007\\u009b31m');
    expect(terminalSafe('a\tb\nc é ✓')).toBe('a\tb\nc é ✓');
  });
});
