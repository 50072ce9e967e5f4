import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** A nats-server this run started, on a loopback port of its own. */
export interface BenchNatsServer {
  readonly url: string;
  readonly pid: number;
  readonly version: string;
  /** Kills the server (SIGKILL when it does not stop within a second). */
  stop(): Promise<void>;
  /** Kills the server at once; safe in an 'exit' handler. */
  killNow(): void;
}

// The server runs under `sh` beside a watchdog that reads a pipe whose only writer is this
// process: when the runner dies in any way (even SIGKILL) the pipe closes and the watchdog
// kills the server, so no nats-server outlives a benchmark.
const WRAPPER = `trap "" PIPE
exec 3<&0
"$@" </dev/null 3<&- &
pid=$!
echo "bench-nats-pid $pid"
( read -r _ <&3; kill -KILL "$pid" 2>/dev/null ) &
watchdog=$!
exec 3<&-
wait "$pid"
code=$?
kill "$watchdog" 2>/dev/null
exit "$code"
`;

/** The nats-server binary: `NATS_SERVER_BIN`, else /usr/sbin or /usr/local/bin, else `nats-server` on PATH. */
export function natsServerBinary(): string {
  const candidates = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/local/bin/nats-server'];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? 'nats-server';
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(0, '127.0.0.1', ok);
  });
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no free loopback port');
  return address.port;
}

/** What the bench's nats-server reads besides its address. */
export interface BenchServerOptions {
  /** A configuration file (`-c`). */
  readonly configFile?: string;
  /** Turns JetStream on with this store directory (`-js -sd`): the control plane's rules bucket lives there. */
  readonly jetstreamDir?: string;
}

/** Starts nats-server on 127.0.0.1 on a free port, retrying when the port was taken meanwhile. */
export async function startBenchNatsServer(options: BenchServerOptions = {}, bin = natsServerBinary(), attempts = 3): Promise<BenchNatsServer> {
  const args = [...(options.configFile === undefined ? [] : ['-c', options.configFile]), ...(options.jetstreamDir === undefined ? [] : ['-js', '-sd', options.jetstreamDir])];
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await startOnce(bin, await freePort(), args);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

function startOnce(bin: string, port: number, args: readonly string[]): Promise<BenchNatsServer> {
  const child: ChildProcess = spawn('/bin/sh', ['-c', WRAPPER, 'bench-nats', bin, ...args, '-a', '127.0.0.1', '-p', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let pid = 0;
  let version = '';
  let exited = false;
  const exitedPromise = new Promise<void>((done) => child.once('exit', () => {
    exited = true;
    done();
  }));
  const killNow = (): void => {
    if (exited) return;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
  };
  return new Promise<BenchNatsServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      killNow();
      reject(new Error(`nats-server did not become ready on port ${port} within 10 s:\n${output.slice(-2000)}`));
    }, 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const p = /bench-nats-pid (\d+)/.exec(output);
      if (p) pid = Number(p[1]);
      const v = /Version:\s+(\S+)/.exec(output);
      if (v) version = v[1];
      if (pid && output.includes('Server is ready')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve({
          url: `nats://127.0.0.1:${port}`,
          pid,
          version,
          killNow,
          stop: async () => {
            if (exited) return;
            try {
              process.kill(pid, 'SIGTERM');
            } catch {
              // already gone
            }
            const hard = setTimeout(killNow, 1000);
            await exitedPromise;
            clearTimeout(hard);
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exitedPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited before it was ready:\n${output.slice(-2000)}`));
    });
  });
}
