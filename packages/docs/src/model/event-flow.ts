import type { ServiceDescription } from '@natsmesh/core';
import { compare } from './normalize-descriptions';
import { subjectsOverlap } from './subject-match';

/** A subscription that receives an event. */
export interface EventReceiver {
  readonly service: string;
  readonly pattern: string;
  readonly method: string;
  /** Queue group: one instance of the service gets each event; undefined for fan-out. */
  readonly queue?: string;
}

/** One subject some service declares it publishes, and who receives it. */
export interface EmittedEvent {
  readonly subject: string;
  readonly publishers: readonly string[];
  readonly receivers: readonly EventReceiver[];
}

/** One subscription pattern, its subscribers, and the declared subjects it receives. */
export interface SubscribedPattern {
  readonly pattern: string;
  readonly subscribers: readonly EventReceiver[];
  readonly subjects: readonly string[];
}

/** Who publishes what and who receives it, across all services: the input of the graph and the event tables. */
export interface EventFlow {
  readonly events: readonly EmittedEvent[];
  readonly patterns: readonly SubscribedPattern[];
}

/** Links every declared event subject to every subscription pattern it matches (NATS wildcard rules). */
export function eventFlow(services: readonly ServiceDescription[]): EventFlow {
  const publishers = new Map<string, Set<string>>();
  for (const s of services) {
    for (const e of s.emits) {
      let set = publishers.get(e.subject);
      if (!set) publishers.set(e.subject, (set = new Set()));
      set.add(s.name);
    }
  }
  const receivers: EventReceiver[] = services.flatMap((s) =>
    s.subscriptions.map((sub) => ({ service: s.name, pattern: sub.pattern, method: sub.method, ...(sub.queue ? { queue: sub.queue } : {}) })),
  );
  const subjects = [...publishers.keys()].sort(compare);
  const patterns = [...new Set(receivers.map((r) => r.pattern))].sort(compare);
  return {
    events: subjects.map((subject) => ({
      subject,
      publishers: [...publishers.get(subject)!].sort(compare),
      receivers: receivers.filter((r) => subjectsOverlap(subject, r.pattern)),
    })),
    patterns: patterns.map((pattern) => ({
      pattern,
      subscribers: receivers.filter((r) => r.pattern === pattern),
      subjects: subjects.filter((s) => subjectsOverlap(s, pattern)),
    })),
  };
}
