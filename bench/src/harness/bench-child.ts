import { fork, type ChildProcess } from 'node:child_process';

type Message = { type: string; [key: string]: unknown };

interface Waiter {
  type: string;
  resolve(msg: Message): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const live = new Set<BenchChild>();

/** Kills every child still running: for exit and signal handlers. */
export function killAllChildren(): void {
  for (const c of live) c.killNow();
}

/**
 * A forked service or caller process, driven over IPC. Waiting for a message rejects when the
 * child reports `failed`, exits, or stays silent past the timeout, so that one broken
 * contender fails alone.
 */
export class BenchChild {
  readonly process: ChildProcess;
  private readonly inbox: Message[] = [];
  private readonly waiters: Waiter[] = [];
  private stderrTail = '';
  private failure: Error | undefined;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  constructor(readonly name: string, script: string, args: string[], execArgv: string[] = []) {
    this.process = fork(script, args, { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    live.add(this);
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    this.process.on('message', (msg: Message) => {
      if (msg.type === 'failed') this.fail(new Error(`${this.name}: ${String(msg.message)}`));
      else this.deliver(msg);
    });
    this.exitPromise = new Promise((done) => {
      this.process.once('exit', (code, signal) => {
        this.exited = true;
        live.delete(this);
        this.fail(new Error(`${this.name} exited (${code ?? signal})${this.stderrTail ? `: ${this.lastLines()}` : ''}`));
        done();
      });
    });
    this.process.once('error', (err) => this.fail(err));
  }

  get pid(): number {
    return this.process.pid ?? 0;
  }

  send(msg: Message): void {
    if (!this.exited && this.process.connected) this.process.send(msg);
  }

  /** Resolves with the next message of `type`. */
  next<T extends Message>(type: string, timeoutMs: number): Promise<T> {
    const i = this.inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as T);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        type,
        resolve: resolve as (m: Message) => void,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms${this.stderrTail ? `: ${this.lastLines()}` : ''}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Asks the child to stop cleanly (profiles get written), then kills it after `graceMs`. */
  async stop(graceMs = 4000): Promise<void> {
    if (this.exited) return;
    this.send({ type: 'stop' });
    const hard = setTimeout(() => this.killNow(), graceMs);
    await this.exitPromise;
    clearTimeout(hard);
  }

  killNow(): void {
    if (!this.exited) this.process.kill('SIGKILL');
  }

  private deliver(msg: Message): void {
    const i = this.waiters.findIndex((w) => w.type === msg.type);
    if (i < 0) {
      this.inbox.push(msg);
      return;
    }
    const [w] = this.waiters.splice(i, 1);
    clearTimeout(w.timer);
    w.resolve(msg);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(this.failure);
    }
  }

  private lastLines(): string {
    return this.stderrTail.trim().split('\n').slice(-5).join(' | ');
  }
}
