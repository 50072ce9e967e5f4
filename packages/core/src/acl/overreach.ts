import { subjectsOverlap } from '../scanner/subject-match';

/** An endpoint subject of the model and its service. */
export interface ModelEndpoint {
  readonly service: string;
  readonly subject: string;
}

/**
 * Why a subject a principal declares (an `emits` entry, an `@On` pattern, a `calls` entry no
 * endpoint matches) would reach beyond its own traffic, or undefined when it does not: NATS's and
 * natsmesh's own subjects (`$…`, inboxes, or a leading wildcard that covers them), or an endpoint
 * of another service (publishing there bypasses its `allow`; subscribing there receives its
 * requests). The generator grants none of these (found by a security trial: they were granted as written).
 */
export function overreachOf(subject: string, owner: string, endpoints: readonly ModelEndpoint[]): string | undefined {
  const first = subject.split('.', 1)[0];
  if (first.startsWith('$') || first.startsWith('_INBOX')) return "is one of NATS's or natsmesh's own subjects (JetStream, discovery, inboxes)";
  if (first === '*' || first === '>') return 'starts with a wildcard, so it covers the inboxes and the JetStream API too';
  const hit = endpoints.find((e) => e.service !== owner && subjectsOverlap(subject, e.subject));
  return hit === undefined ? undefined : `covers the endpoint ${hit.subject} of ${hit.service}`;
}
