import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestingError, getTestingErrorFromUnknown } from './errors';
import type { NatsServerHandle, NatsServerTlsFiles } from './nats-server-handle';
import { trackServer, untrackServer, type TrackedServer } from './server-registry';
import { spawnWithWatchdog, type WatchedProcess } from './spawn-with-watchdog';
import { writeThrowawayCertificates, type ThrowawayCertificates } from './throwaway-certificates';

/** How to run one local nats-server. */
export interface LocalServerSpec {
  /** The nats-server executable. */
  bin: string;
  /** Extra arguments; the helper's listen, ports-file and store-dir flags come after them and win. */
  args: readonly string[];
  /** Pass `-js`. */
  jetstream: boolean;
  /** Config file text, passed with `-c`. */
  configText?: string;
  /** Open the HTTP monitoring port on a random loopback port (kept across restarts). */
  monitor: boolean;
  /** Pass `-D` and copy the server's log to this process's stderr. */
  debug: boolean;
  /** How long start and restart wait for the server to accept connections, in ms. */
  startTimeout: number;
  /** Require TLS with throwaway certificates; `verify` also requires a client certificate (mTLS). */
  tls?: { verify: boolean };
}

const STOP_GRACE_MS = 5000;
const TAIL_LINES = 40;
const POLL_MS = 20;

/** A nats-server child process on 127.0.0.1, owning one temp dir (config, ports file, store dir). */
export class LocalNatsServer implements NatsServerHandle, TrackedServer {
  readonly host = '127.0.0.1';
  readonly storeDir: string | undefined;
  private clientPort = -1;
  private monitorPort = -1;
  private proc: WatchedProcess | undefined;
  private serverPid: number | undefined;
  private killed = false;
  private stopping: Promise<void> | undefined;
  private readonly tail: string[] = [];
  private certificates: ThrowawayCertificates | undefined;

  private constructor(
    private readonly spec: LocalServerSpec,
    readonly dir: string,
  ) {
    this.storeDir = spec.jetstream ? join(dir, 'store') : undefined;
  }

  /**
   * Spawns the server and resolves once it accepts client connections.
   *
   * @throws TestingError `NATS_SERVER_START_FAILED` or `NATS_SERVER_START_TIMEOUT`, with the server's last output.
   */
  static async start(spec: LocalServerSpec): Promise<LocalNatsServer> {
    const dir = await mkdtemp(join(tmpdir(), 'natsmesh-nats-'));
    const server = new LocalNatsServer(spec, dir);
    trackServer(server);
    try {
      await mkdir(join(dir, 'ports'));
      if (spec.configText !== undefined) await writeFile(join(dir, 'nats.conf'), spec.configText);
      if (spec.tls) server.certificates = await writeThrowawayCertificates(join(dir, 'tls'));
      await server.launch();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.clientPort}`;
  }

  get port(): number {
    return this.clientPort;
  }

  get tls(): NatsServerTlsFiles | undefined {
    const c = this.certificates;
    return c && { caFile: c.caFile, certFile: c.clientCertFile, keyFile: c.clientKeyFile };
  }

  get pid(): number {
    return this.serverPid ?? Number.NaN;
  }

  /** Monitoring URL (`http://127.0.0.1:N`) when started with `monitor: true`. */
  get monitorUrl(): string | undefined {
    return this.monitorPort > 0 ? `http://127.0.0.1:${this.monitorPort}` : undefined;
  }

  /** True while a server process runs and has not been told to die. */
  get running(): boolean {
    return this.proc !== undefined && !this.proc.hasExited() && !this.killed && !this.stopping;
  }

  /** The server's last lines of output, for error messages. */
  outputTail(): string {
    return this.tail.join('\n');
  }

  livePid(): number | undefined {
    return this.proc && !this.proc.hasExited() ? this.serverPid : undefined;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.terminate();
      untrackServer(this);
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.proc || this.proc.hasExited() || this.serverPid === undefined) return;
    this.killed = true;
    signalPid(this.serverPid, signal);
  }

  async restart(): Promise<void> {
    if (this.stopping) {
      throw new TestingError('NATS_SERVER_STOPPED', `nats-server ${this.url} was stopped with stop(); start a new one with startNatsServer() instead of restarting it.`);
    }
    await this.terminate();
    await this.launch();
  }

  private args(): string[] {
    const { spec, dir } = this;
    return [
      ...(spec.configText !== undefined ? ['-c', join(dir, 'nats.conf')] : []),
      ...spec.args,
      ...(spec.jetstream ? ['-js'] : []),
      ...(spec.monitor ? ['-m', String(this.monitorPort)] : []),
      ...(spec.debug ? ['-D'] : []),
      ...this.tlsArgs(),
      // Last, so that they override the same flags in spec.args; the command line also beats the config file.
      '-a', '127.0.0.1',
      '-p', String(this.clientPort),
      '--ports_file_dir', join(dir, 'ports'),
      '--store_dir', join(dir, 'store'),
    ];
  }

  private tlsArgs(): string[] {
    const c = this.certificates;
    if (!c) return [];
    return ['--tls', '--tlscert', c.serverCertFile, '--tlskey', c.serverKeyFile, '--tlscacert', c.caFile, ...(this.spec.tls?.verify ? ['--tlsverify'] : [])];
  }

  private async launch(): Promise<void> {
    this.tail.length = 0;
    this.killed = false;
    const label = () => `[nats-server ${this.clientPort > 0 ? this.url : this.dir}]`;
    const proc = spawnWithWatchdog(this.spec.bin, this.args(), this.dir, (line) => {
      this.tail.push(line);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
      if (this.spec.debug) process.stderr.write(`${label()} ${line}\n`);
    });
    this.proc = proc;
    this.serverPid = undefined;
    const deadline = Date.now() + this.spec.startTimeout;
    try {
      const pid = await withDeadline(proc.pid, deadline);
      this.serverPid = pid;
      const ports = await this.waitForPortsFile(proc, pid, deadline);
      this.clientPort = ports.client;
      if (ports.monitor !== undefined) this.monitorPort = ports.monitor;
      await this.waitForTcp(proc, deadline);
    } catch (err) {
      await this.terminate(0);
      if (err instanceof DeadlinePassed) {
        throw new TestingError(
          'NATS_SERVER_START_TIMEOUT',
          `nats-server (${this.spec.bin}) did not accept connections within ${this.spec.startTimeout} ms. ` +
            `Its last output:\n${this.outputTail() || '(none)'}`,
        );
      }
      throw getTestingErrorFromUnknown(
        'NATS_SERVER_START_FAILED',
        `nats-server (${this.spec.bin} ${this.args().join(' ')}) did not start. Its last output:\n${this.outputTail() || '(none)'}\nCause`,
        err,
      );
    }
  }

  private async waitForPortsFile(proc: WatchedProcess, pid: number, deadline: number): Promise<{ client: number; monitor?: number }> {
    const portsDir = join(this.dir, 'ports');
    const suffix = `_${pid}.ports`;
    for (;;) {
      if (proc.hasExited()) throw new Error(`nats-server exited with ${await proc.exited}`);
      const name = (await readdir(portsDir)).find((f) => f.endsWith(suffix));
      if (name) {
        const ports = parsePortsFile(await readFile(join(portsDir, name), 'utf8'));
        if (ports) return ports;
      }
      await sleepUntil(deadline, POLL_MS);
    }
  }

  private async waitForTcp(proc: WatchedProcess, deadline: number): Promise<void> {
    while (!(await canConnect(this.clientPort))) {
      if (proc.hasExited()) throw new Error(`nats-server exited with ${await proc.exited}`);
      await sleepUntil(deadline, POLL_MS);
    }
  }

  /** Ends the current process: SIGTERM, then SIGKILL after `graceMs`. */
  private async terminate(graceMs = STOP_GRACE_MS): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    if (!proc.hasExited()) {
      const pid = this.serverPid ?? (await withDeadline(proc.pid, Date.now() + 1000).catch(() => undefined));
      if (graceMs > 0) {
        // Without the server's pid, the wrapper passes SIGTERM on when sent SIGUSR1.
        if (pid !== undefined) signalPid(pid, 'SIGTERM');
        else proc.child.kill(process.platform === 'win32' ? 'SIGTERM' : 'SIGUSR1');
      }
      if (!(await exitsWithin(proc, graceMs))) {
        if (pid !== undefined) signalPid(pid, 'SIGKILL');
        // The wrapper reaps the server; killing it too early would leave a zombie behind.
        if (pid === undefined || !(await exitsWithin(proc, STOP_GRACE_MS))) {
          proc.child.kill('SIGKILL');
          await exitsWithin(proc, STOP_GRACE_MS);
        }
      }
    }
    proc.child.stdin?.destroy();
    this.proc = undefined;
  }
}

/** Internal signal that the start deadline passed; turned into `NATS_SERVER_START_TIMEOUT`. */
class DeadlinePassed extends Error {}

function parsePortsFile(text: string): { client: number; monitor?: number } | undefined {
  try {
    const json = JSON.parse(text) as { nats?: string[]; monitoring?: string[] };
    const client = portOf(json.nats?.[0]);
    if (client === undefined) return undefined;
    return { client, monitor: portOf(json.monitoring?.[0]) };
  } catch {
    // The server may still be writing the file.
    return undefined;
  }
}

function portOf(url: string | undefined): number | undefined {
  const m = url ? /:(\d+)\/?$/.exec(url) : null;
  return m ? Number(m[1]) : undefined;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function exitsWithin(proc: WatchedProcess, ms: number): Promise<boolean> {
  if (proc.hasExited()) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((done) => {
    timer = setTimeout(() => done(false), ms);
  });
  const result = await Promise.race([proc.exited.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

async function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new DeadlinePassed()), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleepUntil(deadline: number, ms: number): Promise<void> {
  if (Date.now() >= deadline) return Promise.reject(new DeadlinePassed());
  return new Promise((done) => setTimeout(done, Math.min(ms, Math.max(0, deadline - Date.now()))));
}
