import type { KV, NatsConnection } from 'nats';
import { drainAndClose } from '../client/nats-connection';
import type { Logger } from '../logging/logger';
import { logSafely } from '../logging/log-safely';
import { CanaryLock } from './canary-lock';
import { CanaryRollout } from './canary-rollout';
import { isFinished, readCanaryState } from './canary-state';
import type { MeshAdmin } from './mesh-admin';
import type { CanaryRule, MeshRules } from './rules-model';
import type { RulesWatch } from './watch-rules';

/** Internal parts of a {@link CanaryController}, made by `startCanaryController`. */
export interface ControllerParts {
  readonly id: string;
  readonly nc: NatsConnection;
  readonly owns: boolean;
  readonly kv: KV;
  readonly admin: MeshAdmin;
  readonly view: RulesWatch;
  readonly logger: Logger;
  readonly lockTtlMs: number;
  /** Only these services' canaries; undefined for all. */
  readonly services: ReadonlySet<string> | undefined;
}

/**
 * Drives the canary rollouts of the rules bucket: for each canary rule it takes the service's
 * lock (`canary-lock.<service>`) when no other controller holds it, then runs the rollout
 * ({@link CanaryRollout}); it renews each lock it holds every third of the lock's time to live,
 * and looks again at the locks it does not hold as often, so it resumes a rollout whose
 * controller died once that lock expires. Made by `startCanaryController`; `stop()` ends it.
 */
export class CanaryController {
  /** This controller's id, as written in the locks it holds. */
  readonly id: string;
  private readonly rollouts = new Map<string, CanaryRollout>();
  private readonly claiming = new Set<string>();
  private canaries = new Map<string, CanaryRule>();
  private readonly timer: NodeJS.Timeout;
  private readonly unwatch: () => void;
  private stopped = false;

  constructor(private readonly parts: ControllerParts) {
    this.id = parts.id;
    this.unwatch = parts.view.onChange((rules) => this.follow(rules));
    this.timer = setInterval(() => void this.pass(), Math.max(1, Math.floor(parts.lockTtlMs / 3)));
    // A connection that closes under it (a crash of its process, as far as NATS can tell) ends it, without releasing anything.
    void parts.nc.closed().then(() => this.halt());
    this.follow(parts.view.current());
  }

  /** The services whose rollout this controller drives now. */
  driving(): string[] {
    return [...this.rollouts.keys()].sort();
  }

  /**
   * Stops driving: releases each lock it holds (another controller may resume at once), stops
   * watching the rules and closes the connection it opened. Rollouts stay where they are, their
   * state in the bucket.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const rollouts = [...this.rollouts.values()];
    this.halt();
    for (const r of rollouts) {
      // A decision under way is stored before the lock goes: another controller then resumes from it.
      await r.idle();
      await r.lock.release().catch(() => undefined);
    }
    await this.parts.admin.close();
    if (this.parts.owns && !this.parts.nc.isClosed()) await drainAndClose(this.parts.nc);
  }

  private halt(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.unwatch();
    this.parts.view.stop();
    for (const r of this.rollouts.values()) r.stop();
    this.rollouts.clear();
  }

  // The canary rules changed: rules deleted or changed to another from/to stop their rollout.
  private follow(rules: MeshRules): void {
    if (this.stopped) return;
    const wanted = this.parts.services;
    this.canaries = new Map(rules.canaries.filter((c) => wanted === undefined || wanted.has(c.service)).map((c) => [c.service, c]));
    for (const [service, rollout] of this.rollouts) {
      const rule = this.canaries.get(service);
      if (rule !== undefined && rule.from === rollout.current.from && rule.to === rollout.current.to) {
        rollout.update(rule);
        continue;
      }
      this.rollouts.delete(service);
      const why = rule === undefined ? 'canary rule deleted' : `canary rule changed to ${rule.from} → ${rule.to}`;
      // Not claimed again until its last state is stored: that state would land after the new rollout's first.
      this.claiming.add(service);
      void (async () => {
        await rollout.abandon(why);
        await rollout.lock.release();
      })()
        .catch((err: unknown) => logSafely(() => this.parts.logger.warn({ err, service }, 'canary: stopping a rollout failed')))
        .finally(() => {
          this.claiming.delete(service);
          void this.pass();
        });
    }
    void this.pass();
  }

  // Renews the locks held, and tries to take those of the canaries nobody drives.
  private async pass(): Promise<void> {
    if (this.stopped) return;
    for (const [service, rule] of this.canaries) {
      const rollout = this.rollouts.get(service);
      if (rollout !== undefined) {
        if (!(await rollout.lock.renew().catch(() => false)) && this.rollouts.get(service) === rollout) {
          rollout.stop();
          this.rollouts.delete(service);
          logSafely(() => this.parts.logger.warn({ service }, 'canary: lock lost to another controller; this one stops driving the rollout'));
        }
      } else {
        void this.claim(rule);
      }
    }
  }

  private async claim(rule: CanaryRule): Promise<void> {
    const { service } = rule;
    if (this.claiming.has(service) || this.stopped) return;
    this.claiming.add(service);
    try {
      const { kv } = this.parts;
      const before = await readCanaryState(kv, service);
      // A finished rollout of the same versions needs no lock: there is nothing to drive.
      if (before !== undefined && isFinished(before) && before.from === rule.from && before.to === rule.to) return;
      const lock = new CanaryLock(kv, service, this.id, this.parts.lockTtlMs);
      if (!(await lock.acquire())) return;
      // Read again under the lock: the last holder may have stored a decision since.
      const stored = await readCanaryState(kv, service);
      const current = this.canaries.get(service);
      if (this.stopped || current === undefined || (stored !== undefined && isFinished(stored) && stored.from === current.from && stored.to === current.to)) {
        await lock.release();
        return;
      }
      const rollout = new CanaryRollout(current, { ...this.parts, lock, controllerId: this.id, ended: (r) => this.ended(r) });
      this.rollouts.set(service, rollout);
      try {
        await rollout.start(stored);
      } catch (err) {
        rollout.stop();
        if (this.rollouts.get(service) === rollout) this.rollouts.delete(service);
        await lock.release().catch(() => undefined);
        throw err;
      }
    } catch (err) {
      if (!this.parts.nc.isClosed()) logSafely(() => this.parts.logger.warn({ err, service }, 'canary: could not take or start the rollout; trying again later'));
    } finally {
      this.claiming.delete(service);
    }
  }

  private ended(rollout: CanaryRollout): void {
    if (this.rollouts.get(rollout.service) === rollout) this.rollouts.delete(rollout.service);
  }
}
