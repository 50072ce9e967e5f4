import type { KV, NatsConnection } from 'nats';
import type { Logger } from '../logging/logger';
import { logSafely } from '../logging/log-safely';
import { judgeCanary, type CanaryVerdict } from './canary-judge';
import type { CanaryLock } from './canary-lock';
import { isFinished, recordCanaryState, recordOverOwnState } from './canary-state';
import type { MeshAdmin } from './mesh-admin';
import type { CanaryRule, CanaryState } from './rules-model';
import { figuresBetween, gatherStats, type StatsSnapshot } from './version-figures';

/** What a rollout works with; the controller owns all of it. */
export interface RolloutParts {
  readonly nc: NatsConnection;
  readonly kv: KV;
  readonly admin: MeshAdmin;
  /** Held when the rollout starts. */
  readonly lock: CanaryLock;
  readonly logger: Logger;
  readonly controllerId: string;
  /** Told once the rollout no longer runs: it finished, lost its lock, or failed to start. */
  readonly ended: (rollout: CanaryRollout) => void;
}

/**
 * One service's rollout, driven while its controller holds the service's lock: each interval
 * it reads the per-version figures since the last judgement, judges them ({@link judgeCanary})
 * and acts: writes the route weights through the admin (`{ from: 100 - w, to: w }`; all to
 * `from` on a rollback, all to `to` on success), stores the decision in `canary-state.<service>`
 * and publishes it on `$NATSMESH.CANARY.<service>`.
 */
export class CanaryRollout {
  private step = 0;
  private window: StatsSnapshot | undefined;
  private baselineP99Ms: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = true;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private rule: CanaryRule,
    private readonly parts: RolloutParts,
  ) {}

  get service(): string {
    return this.rule.service;
  }

  /** The lock of its service, held while it runs. */
  get lock(): CanaryLock {
    return this.parts.lock;
  }

  /** The rule it drives (`from`, `to`). */
  get current(): CanaryRule {
    return this.rule;
  }

  /**
   * Begins the rollout at its first step, or resumes the stored one (same `from` and `to`, not
   * finished) at its step: the weights are written again, in case the last holder died between
   * writing them and storing its decision.
   */
  async start(stored: CanaryState | undefined): Promise<void> {
    const { rule } = this;
    if (stored !== undefined && stored.from === rule.from && stored.to === rule.to && !isFinished(stored)) {
      const step = Math.min(Math.max(stored.step, 0), rule.steps.length - 1);
      const reason = `resumed at step ${step + 1} of ${rule.steps.length} (${rule.steps[step]}% to ${rule.to}) by controller ${this.parts.controllerId}`;
      await this.record(step, stored.phase, this.split(step), reason);
    } else {
      await this.record(0, 'progressing', this.split(0), `started: ${rule.steps[0]}% of traffic to ${rule.to}, ${rule.from} keeps the rest`);
    }
    this.window = await gatherStats(this.parts.nc, rule.service);
    this.schedule();
  }

  /** Takes a changed rule with the same `from` and `to` (steps, interval or criteria); the step index stays. */
  update(rule: CanaryRule): void {
    this.rule = rule;
    this.step = Math.min(this.step, rule.steps.length - 1);
  }

  /** Stops judging; the state and weights stay as they are. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Resolves once no judgement is under way (after {@link stop}: none will be). */
  idle(): Promise<void> {
    return this.ticking;
  }

  /**
   * Stops, and stores and publishes `why` (phase `paused` at the step reached; the controller
   * leaves the route weights to whoever deleted the rule: `natsmesh canary abort` sets them back
   * to `from`), for a rule deleted or changed to other versions mid-rollout.
   */
  async abandon(why: string): Promise<void> {
    this.stop();
    await this.idle();
    if (!(await this.parts.lock.renew())) return;
    const weight = this.rule.steps[this.step]!;
    const { rule } = this;
    // Only over this rollout's own state: one cleared meanwhile (canary start after an abort) stays cleared.
    const state: CanaryState = {
      service: rule.service,
      from: rule.from,
      to: rule.to,
      step: this.step,
      weight,
      phase: 'paused',
      reason: `${why}: rollout stopped at ${weight}% to ${rule.to}; the controller no longer changes the route weights`,
      updatedAt: Date.now(),
    };
    if (await recordOverOwnState(this.parts.nc, this.parts.kv, state)) {
      logSafely(() => this.parts.logger.info({ canary: state }, `canary ${state.service}: ${state.phase} at ${state.weight}%`));
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick();
    }, this.rule.intervalMs);
  }

  private async tick(): Promise<void> {
    try {
      const now = await gatherStats(this.parts.nc, this.rule.service);
      if (!this.running) return;
      const figures = figuresBetween(this.window!, now);
      const canary = figures.get(this.rule.to);
      const baseline = figures.get(this.rule.from);
      if (baseline?.p99Ms !== undefined) this.baselineP99Ms = baseline.p99Ms;
      const verdict = judgeCanary(this.rule, this.step, { canary, baseline, baselineP99Ms: this.baselineP99Ms });
      // A pause for want of figures keeps the window open: it grows until it holds enough to judge.
      if (verdict.action !== 'pause') this.window = now;
      await this.act(verdict);
    } catch (err) {
      if (this.parts.nc.isClosed()) return this.end();
      logSafely(() => this.parts.logger.warn({ err, service: this.rule.service }, 'canary: a step could not be judged or acted on; trying again after the next interval'));
    }
    this.schedule();
  }

  private async act(verdict: CanaryVerdict): Promise<void> {
    // The renewal fences the write: a controller that lost its lock (a long pause) writes nothing.
    if (!(await this.parts.lock.renew())) {
      logSafely(() => this.parts.logger.warn({ service: this.rule.service }, 'canary: lock lost to another controller; this one stops driving the rollout'));
      return this.end();
    }
    if (!this.running) return;
    const { rule, step } = this;
    switch (verdict.action) {
      case 'advance':
        return this.record(step + 1, 'progressing', this.split(step + 1), verdict.reason);
      case 'pause':
        return this.record(step, 'paused', undefined, verdict.reason);
      case 'succeed':
        await this.record(step, 'succeeded', { [rule.to]: 100 }, verdict.reason, 100);
        return this.finish();
      case 'rollback':
        await this.record(step, 'rolled-back', { [rule.from]: 100 }, verdict.reason, 0);
        return this.finish();
    }
  }

  // The route weights of a step: the canary's share to `to`, the rest to `from`.
  private split(step: number): Record<string, number> {
    const w = this.rule.steps[step]!;
    return { [this.rule.from]: 100 - w, [this.rule.to]: w };
  }

  // Weights first, then the state, then the step in memory: a controller that dies (or fails to
  // write) in between resumes from (or judges again) the older step and writes its weights again.
  private async record(step: number, phase: CanaryState['phase'], weights: Record<string, number> | undefined, reason: string, weight = this.rule.steps[step]!): Promise<void> {
    const { rule } = this;
    if (weights !== undefined) {
      const { admin } = this.parts;
      const route = await admin.routes.get(rule.service);
      await admin.routes.set({ ...route, service: rule.service, weights });
    }
    const state: CanaryState = { service: rule.service, from: rule.from, to: rule.to, step, weight, phase, reason, updatedAt: Date.now() };
    await recordCanaryState(this.parts.nc, this.parts.kv, state);
    this.step = step;
    logSafely(() => this.parts.logger.info({ canary: state }, `canary ${state.service}: ${state.phase} at ${state.weight}%`));
  }

  private async finish(): Promise<void> {
    this.stop();
    await this.parts.lock.release().catch(() => undefined);
    this.end();
  }

  private end(): void {
    this.stop();
    this.parts.ended(this);
  }
}
