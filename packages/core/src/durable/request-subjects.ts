import { MeshError } from '../errors/mesh-error';
import { DIRECT_PREFIX, DISCOVER_SUBJECT, HEALTH_SUBJECT, INSTANCE_PREFIX, SRV_PREFIX } from '../discovery/discovery-subjects';
import { subjectCovers, subjectsOverlap } from '../scanner/subject-match';

/** A subject that something answers with a reply, and who answers it (for messages). */
export interface RequestSubject {
  readonly subject: string;
  readonly where: string;
}

// Request/reply subjects beside the app's endpoints: reply inboxes, ADR-32 discovery and natsmesh's own.
const RESERVED: readonly RequestSubject[] = [
  { subject: '_INBOX.>', where: 'the reply inboxes of every request' },
  { subject: `${SRV_PREFIX}.>`, where: 'the NATS service discovery ($SRV PING/INFO/STATS)' },
  { subject: DISCOVER_SUBJECT, where: 'natsmesh discovery' },
  { subject: `${INSTANCE_PREFIX}.>`, where: 'natsmesh instance discovery' },
  { subject: `${DIRECT_PREFIX}.>`, where: 'the per-instance endpoints of natsmesh' },
  { subject: HEALTH_SUBJECT, where: 'natsmesh health' },
  { subject: `${HEALTH_SUBJECT}.>`, where: 'natsmesh health of one instance' },
];

/**
 * Throws when a stream would store a subject that is answered with a reply: JetStream acks
 * every stored message (`{"stream":…,"seq":…}`), and the caller takes that ack for the answer.
 *
 * @param fix what the user should change, appended to the message.
 * @throws MeshError `INVALID_OPTIONS` naming the stream, the subject and who answers it.
 */
export function assertNoRequestSubjects(stream: string, subjects: readonly string[], endpoints: readonly RequestSubject[], fix: string): void {
  for (const s of subjects) {
    for (const r of [...endpoints, ...RESERVED.filter(() => capturesReserved(s))]) {
      if (subjectsOverlap(s, r.subject)) {
        throw new MeshError(
          'INVALID_OPTIONS',
          `Stream ${stream} would store "${s}", which overlaps "${r.subject}" of ${r.where}: JetStream would ack every request there ` +
            `and the caller would get that ack instead of the reply. ${fix}`,
        );
      }
    }
  }
}

// The reserved subjects continue with random or fixed tokens (an inbox NUID, PING/INFO/STATS):
// a pattern that starts with `*` reaches them only when every later token is a wildcard too.
function capturesReserved(subject: string): boolean {
  const [first, ...rest] = subject.split('.');
  return first !== '*' || rest.every((t) => t === '*' || t === '>');
}

/** The subjects without those another one covers, in first-seen order. */
export function minimalSubjects(subjects: readonly string[]): string[] {
  const unique = [...new Set(subjects)];
  return unique.filter((s) => !unique.some((o) => o !== s && subjectCovers(o, s)));
}
