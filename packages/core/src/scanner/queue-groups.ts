import { MeshError } from '../errors/mesh-error';
import type { EndpointDefinition, ServiceDefinition } from './service-definition';
import { subjectsOverlap } from './subject-match';

interface Member {
  readonly subject: string;
  queue: string;
  readonly where: string;
  /** Set for an endpoint on its service's default group (the service name): it may move. */
  readonly endpoint: { readonly service: ServiceDefinition; readonly definition: EndpointDefinition } | undefined;
}

/**
 * Makes sure no two queue subscriptions of an app share a queue group while their subjects
 * overlap: NATS hands each message to one member of a group across all its matching
 * subscriptions, so one of them would silently miss messages (an event handler would even take
 * requests meant for an endpoint). An endpoint on its default group (the service name) that
 * overlaps moves to `<service>.<endpoint>`; every other clash is the user's to resolve.
 * The result depends on the definitions only, so every instance gets the same groups.
 *
 * @returns the definitions, with the endpoints that moved replaced.
 * @throws MeshError `INVALID_OPTIONS` naming both subscriptions and the fix when named groups clash.
 */
export function assignQueueGroups(definitions: readonly ServiceDefinition[]): ServiceDefinition[] {
  const members: Member[] = definitions.flatMap((d) => [
    ...d.endpoints.map((e) => ({
      subject: e.subject,
      queue: e.queue,
      where: `@Handle('${e.name}') on ${d.target.name}.${e.method}`,
      endpoint: e.queue === d.name ? { service: d, definition: e } : undefined,
    })),
    ...d.subscriptions
      .filter((s) => s.queue !== undefined && s.durable === undefined)
      .map((s) => ({ subject: s.pattern, queue: s.queue!, where: `@On('${s.pattern}') on ${d.target.name}.${s.method}`, endpoint: undefined })),
  ]);
  const moved = new Map<EndpointDefinition, string>();
  for (const m of members) {
    const other = members.find((o) => o !== m && o.queue === m.queue && subjectsOverlap(o.subject, m.subject));
    if (other === undefined) continue;
    const movable = m.endpoint ?? other.endpoint;
    const mover = m.endpoint ? m : other;
    const target = movable ? `${movable.service.name}.${movable.definition.name}` : undefined;
    if (movable && target !== undefined && !members.some((o) => o !== mover && o.queue === target && subjectsOverlap(o.subject, mover.subject))) {
      mover.queue = target;
      moved.set(movable.definition, target);
      continue;
    }
    throw new MeshError(
      'INVALID_OPTIONS',
      `${other.where} and ${m.where} share queue group "${m.queue}" and their subjects overlap ("${other.subject}", "${m.subject}"): ` +
        'NATS would give each message to only one of them. Give one of them its own queue name (queue: \'…\'), or use queue: true for a group of its own.',
    );
  }
  if (moved.size === 0) return [...definitions];
  return definitions.map((d) =>
    d.endpoints.some((e) => moved.has(e)) ? Object.freeze({ ...d, endpoints: Object.freeze(d.endpoints.map((e) => (moved.has(e) ? Object.freeze({ ...e, queue: moved.get(e)! }) : e))) }) : d,
  );
}
