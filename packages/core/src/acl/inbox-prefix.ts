import { toSrvName } from '../discovery/discovery-subjects';

/**
 * The inbox prefix of a service's (or caller role's) connection under generated permissions:
 * `_INBOX_<name with "_" for every character but letters, digits, "_" and "-">`, e.g.
 * `_INBOX_hotel_booking`. Each user may subscribe to its own `<prefix>.>` only, so no one can
 * read another's replies through `_INBOX.>`. `createApp` connects an app hosting one service with it.
 */
export function inboxPrefixOf(name: string): string {
  return `_INBOX_${toSrvName(name)}`;
}
