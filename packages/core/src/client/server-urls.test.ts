import { redactUrls, splitUrlCredentials } from './server-urls';

describe('redactUrls', () => {
  it.each([
    ['nats://ann:secret@127.0.0.1:4222', 'nats://ann:***@127.0.0.1:4222'],
    ['tls://tok3n@host:4443', 'tls://***@host:4443'],
    ['at nats://a:b@h1:1,nats://c:d@h2:2.', 'at nats://a:***@h1:1,nats://c:***@h2:2.'],
    ['ann:secret@127.0.0.1:4222', 'ann:***@127.0.0.1:4222'],
    ['nats://127.0.0.1:4222 and mail ann@example.com', 'nats://127.0.0.1:4222 and mail ann@example.com'],
  ])('%s → %s', (text, redacted) => {
    expect(redactUrls(text)).toBe(redacted);
  });
});

describe('splitUrlCredentials', () => {
  it('takes user and password off the URLs', () => {
    expect(splitUrlCredentials('nats://ann:p%40ss@127.0.0.1:4222')).toEqual({ servers: ['nats://127.0.0.1:4222'], credentials: { user: 'ann', pass: 'p@ss' } });
  });

  it('takes a token, and leaves URLs without user info alone', () => {
    expect(splitUrlCredentials(['nats://tok@h:1', 'h:2'])).toEqual({ servers: ['nats://h:1', 'h:2'], credentials: { token: 'tok' } });
    expect(splitUrlCredentials('nats://h:1')).toEqual({ servers: ['nats://h:1'], credentials: undefined });
  });
});
