import { KvWatchInclude, type KvEntry, type NatsConnection, type QueuedIterator } from 'nats';
import { canaryStateKey, checkRule, readCanaryStatus, RULES_BUCKET, type CanaryRule, type CanaryState, type CanaryStatus } from '@natsmesh/core';
import { EXIT } from '../cli-error';
import type { CliIo } from '../output/cli-io';
import { RolloutBar } from '../output/rollout-bar';
import { terminalSafe } from '../output/terminal-safe';
import { decisionLine, phaseText, stateOfRule } from './canary-text';

/** How a followed rollout is shown: line by line, or a bar that redraws in the terminal. */
interface RolloutView {
  decision(state: CanaryState, rule: CanaryRule | undefined): void;
  note(line: string): void;
  /** Keeps the live figures it shows current until `done` settles. */
  refresh?(nc: NatsConnection, service: string, windowMs: number, done: Promise<number>): Promise<void>;
  stop(): void;
}

/**
 * Follows one rollout (`status`'s rule and state, read just before) as its controller stores
 * each decision, until it succeeds (resolves 0) or is rolled back or stopped (1). Watches the
 * KV keys `canary.<service>` and `canary-state.<service>`, so a decision stored between the read
 * and the watch is not missed. In a terminal (and without `json`) a bar redraws in place, with
 * the figures of each version over `windowMs` refreshed meanwhile; else one line per decision
 * (one JSON state per line under `json`).
 */
export async function watchRollout(nc: NatsConnection, io: CliIo, json: boolean, status: CanaryStatus, windowMs: number): Promise<number> {
  const { service } = status;
  const view: RolloutView = io.terminal !== undefined && !json ? new BarView(io.terminal, status) : lineView(io, json);
  const kv = await nc.jetstream().views.kv(RULES_BUCKET, { bindOnly: true });
  let rule = status.rule;
  let state = status.state;
  // What was shown last: the watches replay what the read before them already gave.
  let shown = '';
  let waiting = '';
  let ended = false;
  let resolve: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolve = r));
  const finish = (code: number) => {
    ended = true;
    resolve(code);
  };

  const judge = () => {
    if (ended) return;
    const own = stateOfRule(state, rule);
    if (own !== undefined && JSON.stringify(own) !== shown) {
      shown = JSON.stringify(own);
      view.decision(own, rule);
    }
    if (own !== undefined && (own.phase === 'succeeded' || own.phase === 'rolled-back')) return finish(own.phase === 'succeeded' ? EXIT.OK : EXIT.FAILED);
    if (rule === undefined) {
      view.note(`${service}: no canary rule in force: the rollout is stopped (natsmesh canary start begins one)`);
      return finish(EXIT.FAILED);
    }
    if (own === undefined && waiting !== `${rule.from} ${rule.to}`) {
      waiting = `${rule.from} ${rule.to}`;
      view.note(`${service} ${rule.from} → ${rule.to}: waiting for a canary controller to take the rollout up (natsmesh canary run)`);
    }
  };
  const follow = async (key: string, apply: (entry: KvEntry) => void) => {
    const watch = await kv.watch({ key, include: KvWatchInclude.LastValue });
    void (async () => {
      for await (const entry of watch) {
        apply(entry);
        judge();
      }
    })();
    return watch;
  };
  const watches: QueuedIterator<KvEntry>[] = [];
  try {
    judge();
    watches.push(await follow(`canary.${service}`, (e) => (rule = e.operation === 'PUT' ? ruleOf(e) : undefined)));
    watches.push(await follow(canaryStateKey(service), (e) => (state = e.operation === 'PUT' ? stateOf(e, service) : undefined)));
    void view.refresh?.(nc, service, windowMs, done);
    return await done;
  } finally {
    for (const w of watches) w.stop();
    view.stop();
  }
}

function ruleOf(entry: KvEntry): CanaryRule | undefined {
  try {
    return checkRule('canary', entry.json());
  } catch {
    return undefined;
  }
}

function stateOf(entry: KvEntry, service: string): CanaryState | undefined {
  try {
    const v = entry.json<CanaryState>();
    return v?.service === service && typeof v.phase === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function lineView(io: CliIo, json: boolean): RolloutView {
  return {
    decision: (state, rule) => io.out(json ? JSON.stringify(state) : terminalSafe(decisionLine(state, rule?.steps.length))),
    note: (line) => {
      if (!json) io.out(terminalSafe(line));
    },
    stop: () => undefined,
  };
}

class BarView implements RolloutView {
  private readonly bar: RolloutBar;

  constructor(terminal: NodeJS.WriteStream, status: CanaryStatus) {
    const { rule } = status;
    const title = rule !== undefined ? `${status.service} ${rule.from} → ${rule.to}` : status.service;
    this.bar = new RolloutBar(terminal, { title, weight: 0, phase: 'waiting', figures: figuresText(status) });
  }

  decision(state: CanaryState, rule: CanaryRule | undefined): void {
    this.bar.log(terminalSafe(`${new Date(state.updatedAt).toISOString().slice(11, 19)} ${decisionLine(state, rule?.steps.length)}`));
    this.bar.update({ title: `${state.service} ${state.from} → ${state.to}`, weight: state.weight, phase: phaseText(state, rule?.steps.length).replace(/, \d+% to .*$/, '') });
  }

  note(line: string): void {
    this.bar.log(terminalSafe(line));
  }

  stop(): void {
    this.bar.stop();
  }

  // The figures over each window, until the rollout ends.
  async refresh(nc: NatsConnection, service: string, windowMs: number, done: Promise<number>): Promise<void> {
    let ended = false;
    void done.then(() => (ended = true));
    while (!ended && !nc.isClosed()) {
      const [status] = await readCanaryStatus({ nats: nc, service, windowMs }).catch(() => [undefined]);
      if (!ended && status !== undefined) this.bar.update({ figures: figuresText(status) });
    }
  }
}

/** `1.0.0 95 req 0.0% err p99 2.1 ms · 2.0.0 5 req …`. */
function figuresText(status: CanaryStatus): string {
  if (status.figures.length === 0) return 'no figures yet';
  return status.figures.map((f) => `${f.version} ${f.requests} req ${(f.errorRatio * 100).toFixed(1)}% err p99 ${f.p99Ms === undefined ? '-' : `${f.p99Ms.toFixed(1)} ms`}`).join(' · ');
}
