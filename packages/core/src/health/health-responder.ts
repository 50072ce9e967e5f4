import type { NatsConnection, Subscription } from 'nats';
import { HEALTH_SUBJECT } from '../discovery/discovery-subjects';
import type { Logger } from '../logging/logger';
import { replyValue } from '../runtime/reply-writer';
import type { HealthReport } from './health-report';

/**
 * Answers `$NATSMESH.HEALTH` (scatter-gather) and `$NATSMESH.HEALTH.<id>` with the app's
 * {@link HealthReport}, made afresh for each request. Unlike the discovery responder it keeps
 * answering while `app.stop()` drains, so an asking client sees `stopping`, not silence.
 */
export class HealthResponder {
  private subs: Subscription[] = [];

  constructor(
    private readonly instanceId: string,
    private readonly report: () => HealthReport,
    private readonly logger: Logger,
  ) {}

  /** Subscribes both subjects. */
  start(nc: NatsConnection): void {
    for (const subject of [HEALTH_SUBJECT, `${HEALTH_SUBJECT}.${this.instanceId}`]) {
      this.subs.push(
        nc.subscribe(subject, {
          callback: (err, msg) => {
            if (!err && msg.reply) replyValue(msg, this.report(), this.logger);
          },
        }),
      );
    }
  }

  /** Stops answering: askers then get no reply from this instance. */
  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }
}
