import type { JetStreamManager } from 'nats';
import type { StreamPlan } from './durable-plan';
import { minimalSubjects } from './request-subjects';

/**
 * The subjects a derived stream should store: the filters of every consumer on it (other apps'
 * durables included) plus this app's durable patterns, without those another one covers.
 * Undefined when the stream already stores exactly those, or when a consumer without a filter
 * reads everything it stores (then narrowing would take events from that consumer).
 */
export async function exactSubjects(jsm: JetStreamManager, plan: StreamPlan, present: readonly string[]): Promise<string[] | undefined> {
  const filters: string[] = [];
  for (const info of await jsm.consumers.list(plan.name).next()) {
    const filter = info.config.filter_subject;
    if (filter === undefined || filter === '') return undefined;
    filters.push(filter);
  }
  const subjects = minimalSubjects([...plan.options.subjects, ...filters]);
  const same = subjects.length === present.length && subjects.every((s) => present.includes(s));
  return same ? undefined : subjects;
}
