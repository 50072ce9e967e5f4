import { MeshError } from '../errors/mesh-error';

/**
 * Refuses a subject a natsmesh endpoint may not answer on: a first token starting with `$` is
 * NATS's and natsmesh's own namespace (`$SRV` for the Service API, `$JS`, `$KV`, `$SYS`,
 * `$NATSMESH` for discovery and instance addressing), and `_INBOX` holds every client's reply
 * subjects. An endpoint there would answer discovery pings or read other callers' replies.
 *
 * @throws MeshError `INVALID_SUBJECT` naming the subject, where it was declared and the fix.
 */
export function assertUnreserved(subject: string, where: string): void {
  const first = subject.split('.', 1)[0];
  if (first.startsWith('$') || first === '_INBOX') {
    throw new MeshError(
      'INVALID_SUBJECT',
      `Invalid subject "${subject}" in ${where}: "${first}" is reserved (subjects starting with "$" belong to NATS and natsmesh, ` +
        '"_INBOX" to reply inboxes). Choose a subject of your own, e.g. "hotel.booking.save".',
    );
  }
}
