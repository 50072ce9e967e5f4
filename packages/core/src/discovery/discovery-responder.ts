import type { Msg, NatsConnection, NatsError, Subscription } from 'nats';
import { encodeJson } from '../codec/json-codec';
import type { Logger } from '../logging/logger';
import type { InFlight } from '../runtime/in-flight';
import {
  DISCOVER_SUBJECT,
  DOWN_SUBJECT,
  HEARTBEAT_SUBJECT,
  INSTANCE_PREFIX,
  SRV_PREFIX,
  UP_SUBJECT,
  toSrvId,
  toSrvName,
} from './discovery-subjects';
import type { Heartbeat, InstanceInfo } from './instance-info';
import { infoResponse, pingResponse, statsResponse, type SrvIdentity, type SrvService } from './srv-responses';

const VERBS = { PING: pingResponse, INFO: infoResponse, STATS: statsResponse } as const;

/**
 * The discovery side of a running app: answers the NATS Service API (`$SRV.PING|INFO|STATS`
 * at all three levels) for each hosted service under the service's own id ({@link toSrvId}),
 * serves the app's full {@link InstanceInfo} (keyed by the app id),
 * announces itself on start and stop, and sends one heartbeat per interval.
 */
export class DiscoveryResponder {
  private subs: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastRequests = 0;
  private lastMs = 0;
  private readonly identity: SrvIdentity;

  constructor(
    private readonly info: InstanceInfo,
    private readonly services: readonly SrvService[],
    private readonly inFlight: InFlight,
    private readonly logger: Logger,
  ) {
    this.identity = { appId: info.id, zone: info.zone, started: info.started };
  }

  /** Subscribes the discovery subjects, announces the instance and starts heartbeats. */
  start(nc: NatsConnection): void {
    const all = new Map<string, () => object[]>();
    for (const [verb, respond] of Object.entries(VERBS)) {
      all.set(`${SRV_PREFIX}.${verb}`, () => this.services.map((s) => respond(s, this.identity)));
      for (const s of this.services) {
        const name = toSrvName(s.description.name);
        const one = () => [respond(s, this.identity)];
        all.set(`${SRV_PREFIX}.${verb}.${name}`, one);
        all.set(`${SRV_PREFIX}.${verb}.${name}.${toSrvId(this.info.id, s.description.name)}`, one);
      }
    }
    const instance = () => [this.info];
    all.set(DISCOVER_SUBJECT, instance);
    all.set(`${INSTANCE_PREFIX}.${this.info.id}`, instance);
    for (const [subject, responses] of all) {
      this.subs.push(nc.subscribe(subject, { callback: (err, msg) => this.answer(err, msg, responses) }));
    }
    nc.publish(UP_SUBJECT, encodeJson(this.info));
    this.timer = setInterval(() => this.beat(nc), this.info.heartbeatInterval).unref();
  }

  /** Says goodbye, so registries drop the instance at once, and stops answering. */
  stop(nc: NatsConnection | undefined): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
    if (nc && !nc.isClosed()) {
      try {
        nc.publish(DOWN_SUBJECT, encodeJson({ id: this.info.id }));
      } catch (err) {
        this.logger.warn({ err: err as Error }, 'could not announce the stop');
      }
    }
  }

  private answer(err: NatsError | null, msg: Msg, responses: () => object[]): void {
    if (err || !msg.reply) return;
    for (const r of responses()) msg.respond(encodeJson(r));
  }

  private beat(nc: NatsConnection): void {
    let requests = 0;
    let ms = 0;
    for (const s of this.services) {
      for (const st of s.stats.values()) {
        requests += st.numRequests;
        ms += st.processingMs;
      }
    }
    const n = requests - this.lastRequests;
    const hb: Heartbeat = {
      id: this.info.id,
      inFlight: this.inFlight.size,
      rate: Math.round((n * 1000) / this.info.heartbeatInterval),
      latencyMs: n === 0 ? 0 : Math.round(((ms - this.lastMs) / n) * 1000) / 1000,
    };
    this.lastRequests = requests;
    this.lastMs = ms;
    try {
      nc.publish(HEARTBEAT_SUBJECT, encodeJson(hb));
    } catch (err) {
      this.logger.warn({ err: err as Error }, 'heartbeat not sent');
    }
  }
}
