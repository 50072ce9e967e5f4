/** Credentials found in server URLs (`nats://user:password@host`, `nats://token@host`). */
export interface UrlCredentials {
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
}

// `scheme://userinfo@`, and a bare `userinfo@host` at the start of a list item.
const SCHEME_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s,'"/@]*)@/gi;
const BARE_USERINFO = /(^|[\s,'"[(])([^\s,'"/@:]+:[^\s,'"/@]*)@/g;

/**
 * `text` with every password and token in a server URL replaced by `***`; a user name stays,
 * so `nats://ann:secret@host:4222` reads `nats://ann:***@host:4222`. For any message or log
 * line that may hold a server URL.
 */
export function redactUrls(text: string): string {
  return text.replace(SCHEME_USERINFO, (_m, scheme: string, info: string) => `${scheme}${maskInfo(info)}@`).replace(BARE_USERINFO, (_m, lead: string, info: string) => `${lead}${maskInfo(info)}@`);
}

function maskInfo(info: string): string {
  const colon = info.indexOf(':');
  return colon < 0 ? '***' : `${info.slice(0, colon)}:***`;
}

/**
 * Splits credentials off server URLs: nats.js 2 ignores a URL's user info, while users write
 * `nats://user:password@host` as with every other NATS client. The URLs come back without it.
 */
export function splitUrlCredentials(servers: string | readonly string[]): { servers: string[]; credentials: UrlCredentials | undefined } {
  let credentials: UrlCredentials | undefined;
  const out = (typeof servers === 'string' ? servers.split(',') : [...servers]).map((raw) => {
    const server = raw.trim();
    const at = server.lastIndexOf('@');
    if (at < 0) return server;
    const schemeEnd = server.indexOf('://');
    const start = schemeEnd < 0 ? 0 : schemeEnd + 3;
    if (at < start) return server;
    const info = server.slice(start, at);
    const colon = info.indexOf(':');
    credentials ??= colon < 0 ? { token: decode(info) } : { user: decode(info.slice(0, colon)), pass: decode(info.slice(colon + 1)) };
    return server.slice(0, start) + server.slice(at + 1);
  });
  return { servers: out, credentials };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
