import type { ServiceDescription } from '../app/describe';
import {
  DIRECT_PREFIX,
  VERSION_PREFIX,
  versionToken,
  DISCOVER_SUBJECT,
  DOWN_SUBJECT,
  HEALTH_SUBJECT,
  HEARTBEAT_SUBJECT,
  INSTANCE_PREFIX,
  SRV_PREFIX,
  UP_SUBJECT,
  toSrvName,
} from '../discovery/discovery-subjects';
import { DEAD_LETTER_PREFIX } from '../durable/durable-plan';
import { compare } from './authorization-matrix';
import type { AclPermissions } from './acl-model';
import { MIRRORS_SUBJECT } from '../control/mirror-summary';
import { RULES_CREATED_ADVISORY, RULES_DELETED_ADVISORY, RULES_STREAM } from '../control/rules-bucket';

// Reading the control plane's rules (app.rules, client.rules), and only reading them: the JetStream
// check, the ordered consumer of the KV watch (created, re-created after a gap, its flow control
// answered; it delivers to the user's own inbox) and the advisories that the bucket was created or deleted.
// No $KV.natsmesh_rules.> publish, no stream create, update, delete or purge: the admin writes.
const RULES_READ_PUBLISH = ['$JS.API.INFO', `$JS.API.CONSUMER.CREATE.${RULES_STREAM}`, `$JS.API.CONSUMER.CREATE.${RULES_STREAM}.>`, `$JS.FC.${RULES_STREAM}.>`];
const RULES_READ_SUBSCRIBE = [RULES_CREATED_ADVISORY, RULES_DELETED_ADVISORY];

const SRV_VERBS = ['PING', 'INFO', 'STATS'] as const;

/**
 * The permissions of a service's user: subscribe to its endpoints in their queue groups, its
 * `@On` patterns, its instance-addressed, version-addressed and discovery subjects and its own inbox; publish the
 * requests it may make (`granted`, also instance-addressed), the events it emits, the discovery
 * announcements, the JetStream API of its own durable consumers, and read the control plane's rules.
 */
export function servicePermissions(s: ServiceDescription, granted: readonly string[], inboxPrefix: string): AclPermissions {
  const srv = toSrvName(s.name);
  const subscribe = [
    ...s.endpoints.flatMap((e) => [`${e.subject} ${e.queue}`, `${DIRECT_PREFIX}.*.${e.subject}`, `${VERSION_PREFIX}.${versionToken(s.version)}.${e.subject} ${e.queue}`]),
    ...s.subscriptions.filter((e) => e.durable === undefined).map((e) => (e.queue === undefined ? e.pattern : `${e.pattern} ${e.queue}`)),
    ...SRV_VERBS.flatMap((v) => [`${SRV_PREFIX}.${v}`, `${SRV_PREFIX}.${v}.${srv}`, `${SRV_PREFIX}.${v}.${srv}.*`]),
    DISCOVER_SUBJECT,
    `${INSTANCE_PREFIX}.*`,
    HEALTH_SUBJECT,
    `${HEALTH_SUBJECT}.*`,
    // app.client answers with its mirror figures once a mirror rule was in force.
    MIRRORS_SUBJECT,
    // The registry of app.client (client-side strategies, waitFor) listens to the announcements.
    UP_SUBJECT,
    DOWN_SUBJECT,
    HEARTBEAT_SUBJECT,
    `${inboxPrefix}.>`,
    ...RULES_READ_SUBSCRIBE,
  ];
  const publish = [
    ...granted.flatMap((subject) => [subject, `${DIRECT_PREFIX}.*.${subject}`]),
    ...s.emits.map((e) => e.subject),
    UP_SUBJECT,
    DOWN_SUBJECT,
    HEARTBEAT_SUBJECT,
    DISCOVER_SUBJECT,
    `${INSTANCE_PREFIX}.*`,
    ...RULES_READ_PUBLISH,
    ...durableApi(s),
  ];
  return { publish: sorted(publish), subscribe: sorted(subscribe) };
}

/**
 * A caller role: publish its granted requests, subscribe to its own inbox; read the control
 * plane's rules (a natsmesh client routes by them).
 */
export function callerPermissions(granted: readonly string[], inboxPrefix: string): AclPermissions {
  return { publish: sorted([...granted, ...RULES_READ_PUBLISH]), subscribe: sorted([`${inboxPrefix}.>`, ...RULES_READ_SUBSCRIBE]) };
}

// What createApp's JetStream setup and the pull consumers of durable @On send: stream and consumer
// info/create/update, pulls, acks and dead letters, for the service's own consumers only. The stream
// is the one named in @On, else the one natsmesh derives (NATSMESH_<first token>).
function durableApi(s: ServiceDescription): string[] {
  const durables = s.subscriptions.filter((e) => e.durable !== undefined);
  if (durables.length === 0) return [];
  return [
    '$JS.API.INFO',
    ...durables.flatMap((e) => {
      const stream = e.stream ?? `NATSMESH_${e.pattern.split('.')[0].replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const c = `${stream}.${e.durable!}`;
      return [
        `$JS.API.STREAM.INFO.${stream}`,
        // A stream @On names is someone else's to create (and may be the control plane's own,
        // KV_natsmesh_rules): only the one natsmesh derives may be created and updated.
        ...(e.stream === undefined ? [`$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.UPDATE.${stream}`] : []),
        `$JS.API.CONSUMER.LIST.${stream}`,
        `$JS.API.CONSUMER.INFO.${c}`,
        `$JS.API.CONSUMER.CREATE.${c}`,
        `$JS.API.CONSUMER.CREATE.${c}.>`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${c}`,
        `$JS.API.CONSUMER.MSG.NEXT.${c}`,
        `$JS.ACK.${c}.>`,
        e.deadLetter ?? `${DEAD_LETTER_PREFIX}.${c}`,
      ];
    }),
  ];
}

function sorted(list: readonly string[]): string[] {
  return [...new Set(list)].sort(compare);
}
