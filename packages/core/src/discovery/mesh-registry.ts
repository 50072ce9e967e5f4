import { EventEmitter } from 'node:events';
import type { Msg, NatsConnection, NatsError, Subscription } from 'nats';
import { decodeJson } from '../codec/json-codec';
import { MeshError } from '../errors/mesh-error';
import { DISCOVER_SUBJECT, DOWN_SUBJECT, HEARTBEAT_SUBJECT, INSTANCE_PREFIX, UP_SUBJECT } from './discovery-subjects';
import { gather } from './gather';
import type { Heartbeat, InstanceInfo } from './instance-info';

/** One live instance as a registry knows it. */
export interface InstanceState {
  readonly info: InstanceInfo;
  /** The latest heartbeat, undefined until the first arrives. */
  readonly load: Heartbeat | undefined;
  /** Epoch ms of the last sign of life. */
  readonly lastSeen: number;
}

/** Options of a {@link MeshRegistry}. */
export interface RegistryOptions {
  /** Drop an instance this long after its last sign of life, ms; default 3 of its heartbeat intervals. */
  ttl?: number;
  /** How long the bootstrap scatter-gather collects at most, ms (1000). */
  bootstrapWait?: number;
}

/** Why an instance left the registry. */
export type DownReason = 'stopped' | 'expired';

/**
 * An eventually consistent view of the live mesh: bootstraps by scatter-gather, then
 * follows announcements and heartbeats, and drops instances that miss them for the TTL.
 * Emits `up` (state), `down` (state, reason) and `change` (state) on every heartbeat.
 */
export class MeshRegistry extends EventEmitter {
  private readonly byId = new Map<string, InstanceState>();
  private readonly lookups = new Set<string>();
  private subs: Subscription[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: RegistryOptions = {},
  ) {
    super();
  }

  /** Subscribes to announcements and heartbeats, then asks every instance to describe itself. */
  async start(): Promise<void> {
    const on = (subject: string, handle: (data: unknown) => void) =>
      this.subs.push(this.nc.subscribe(subject, { callback: (err: NatsError | null, msg: Msg) => !err && this.safely(msg, handle) }));
    on(UP_SUBJECT, (d) => this.upsert(d as InstanceInfo));
    on(DOWN_SUBJECT, (d) => this.remove((d as { id: string }).id, 'stopped'));
    on(HEARTBEAT_SUBJECT, (d) => this.heartbeat(d as Heartbeat));
    await this.nc.flush();
    for (const info of await gather<InstanceInfo>(this.nc, DISCOVER_SUBJECT, { maxWait: this.options.bootstrapWait ?? 1000 })) {
      this.upsert(info);
    }
    const ttl = this.options.ttl;
    this.sweeper = setInterval(() => this.sweep(), ttl === undefined ? 250 : Math.max(25, Math.min(250, ttl / 4))).unref();
  }

  /** Stops following the mesh. */
  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  /** Live instances, all or those hosting `service`. */
  instances(service?: string): InstanceState[] {
    const all = [...this.byId.values()];
    return service === undefined ? all : all.filter((s) => s.info.services.some((d) => d.name === service));
  }

  /** One live instance by id, or undefined. */
  instance(id: string): InstanceState | undefined {
    return this.byId.get(id);
  }

  /** Names of the services with at least one live instance, sorted. */
  services(): string[] {
    return [...new Set(this.instances().flatMap((s) => s.info.services.map((d) => d.name)))].sort();
  }

  /**
   * Resolves with the instances of `service` once there is at least one.
   *
   * @throws MeshError `TIMEOUT` when none appears within `timeout` ms (default 5000).
   */
  waitFor(service: string, options: { timeout?: number } = {}): Promise<InstanceState[]> {
    const now = this.instances(service);
    if (now.length > 0) return Promise.resolve(now);
    const timeout = options.timeout ?? 5000;
    return new Promise((resolve, reject) => {
      const onUp = () => {
        const found = this.instances(service);
        if (found.length === 0) return;
        clearTimeout(timer);
        this.off('up', onUp);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.off('up', onUp);
        reject(new MeshError('TIMEOUT', `No instance of "${service}" appeared within ${timeout} ms: start one, or check the name.`));
      }, timeout);
      this.on('up', onUp);
    });
  }

  private safely(msg: Msg, handle: (data: unknown) => void): void {
    try {
      handle(decodeJson(msg.data));
    } catch {
      // a malformed announcement must not stop the registry
    }
  }

  private upsert(info: InstanceInfo): void {
    if (!info || typeof info.id !== 'string' || !Array.isArray(info.services)) return;
    const old = this.byId.get(info.id);
    const state: InstanceState = { info, load: old?.load, lastSeen: Date.now() };
    this.byId.set(info.id, state);
    this.emit(old ? 'change' : 'up', state);
  }

  private heartbeat(hb: Heartbeat): void {
    if (!hb || typeof hb.id !== 'string') return;
    const old = this.byId.get(hb.id);
    if (!old) {
      void this.lookup(hb.id);
      return;
    }
    const state: InstanceState = { info: old.info, load: hb, lastSeen: Date.now() };
    this.byId.set(hb.id, state);
    this.emit('change', state);
  }

  // A heartbeat from an instance we never saw (we started after its announcement and the
  // bootstrap missed it): ask it directly.
  private async lookup(id: string): Promise<void> {
    if (this.lookups.has(id)) return;
    this.lookups.add(id);
    try {
      const [info] = await gather<InstanceInfo>(this.nc, `${INSTANCE_PREFIX}.${id}`, { maxWait: 1000, quiet: 10 });
      if (info) this.upsert(info);
    } finally {
      this.lookups.delete(id);
    }
  }

  private remove(id: string, reason: DownReason): void {
    const state = this.byId.get(id);
    if (!state) return;
    this.byId.delete(id);
    this.emit('down', state, reason);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.byId) {
      const ttl = this.options.ttl ?? 3 * s.info.heartbeatInterval;
      if (now - s.lastSeen > ttl) this.remove(id, 'expired');
    }
  }
}
