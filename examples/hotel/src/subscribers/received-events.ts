import type { Context } from '@natsmesh/core';
import { injectable } from 'tsyringe';

/** The subscriber services of the hotel app. */
export type Subscriber = 'logging' | 'compliance' | 'persistence';

/** One event as a subscriber saw it. */
export interface ReceivedEvent {
  readonly subject: string;
  readonly payload: unknown;
  /** The app instance whose subscriber got it. */
  readonly instanceId: string;
  readonly at: number;
}

/** What each subscriber of one app instance has seen, in arrival order; the demo and the tests read it. */
@injectable()
export class ReceivedEvents {
  private readonly seen = new Map<Subscriber, ReceivedEvent[]>();

  record(subscriber: Subscriber, payload: unknown, ctx: Context): void {
    let list = this.seen.get(subscriber);
    if (!list) this.seen.set(subscriber, (list = []));
    list.push({ subject: ctx.subject, payload, instanceId: ctx.instanceId, at: Date.now() });
  }

  of(subscriber: Subscriber): readonly ReceivedEvent[] {
    return this.seen.get(subscriber) ?? [];
  }
}
