import { spawn, type ChildProcess } from 'node:child_process';

/*
 * A `sh` wrapper that runs the server and a watchdog beside it. The watchdog blocks reading the
 * wrapper's stdin, a pipe whose only writer is this Node process: when Node dies for any reason
 * (SIGKILL, a crashed jest worker, a sandbox whose `process.on('exit')` never fires) the pipe
 * reaches EOF and the watchdog kills the server, and the wrapper removes the server's temp dir
 * once it has reaped it, so nothing outlives the tests. The wrapper prints the server's pid
 * first, so this module signals the server directly.
 * - `trap "" PIPE`: once Node is gone, writes to stdout/stderr must not kill the wrapper before
 *   it has cleaned up.
 * - A signal to the wrapper (Ctrl-C or a kill of the whole process group) is passed on as
 *   SIGTERM and marks the dir for removal; the wrapper keeps waiting, because it must reap the
 *   server itself (PID 1 in a container often reaps nothing) and clean up afterwards.
 * - SIGUSR1 is this module's own "stop the server" for when its pid is not known yet; it keeps
 *   the dir, which a restart still needs.
 */
const WRAPPER = `trap "" PIPE
dir=$1; shift
exec 3<&0
"$@" </dev/null 3<&- &
pid=$!
trap ': > "$dir/.orphaned"; kill -TERM "$pid" 2>/dev/null' INT TERM HUP
trap 'kill -TERM "$pid" 2>/dev/null' USR1
echo "natsmesh-pid $pid"
( trap "" INT TERM HUP; read -r _ <&3; : > "$dir/.orphaned"; kill -KILL "$pid" 2>/dev/null ) &
watchdog=$!
exec 3<&-
while :; do
  wait "$pid"
  code=$?
  [ "$code" -gt 128 ] && kill -0 "$pid" 2>/dev/null || break
done
kill -KILL "$watchdog" 2>/dev/null
if [ -e "$dir/.orphaned" ]; then rm -rf "$dir"; fi
exit "$code"
`;

const PID_LINE = /^natsmesh-pid (\d+)$/;

/** A spawned server: the wrapper child (whose exit is the server's exit) and the server's own pid. */
export interface WatchedProcess {
  readonly child: ChildProcess;
  /** Resolves with the server's pid, or rejects when the process ends before announcing it. */
  readonly pid: Promise<number>;
  /** Resolves with the exit code (or signal name) once the server has ended. */
  readonly exited: Promise<number | string>;
  /** True once the server has ended. */
  hasExited(): boolean;
}

/**
 * Spawns `bin args` under the watchdog wrapper (plain spawn on Windows, which has no `sh`),
 * calling `onLine` for every output line except the pid announcement.
 */
export function spawnWithWatchdog(bin: string, args: readonly string[], dir: string, onLine: (line: string) => void): WatchedProcess {
  const direct = process.platform === 'win32';
  const child = direct
    ? spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], env: process.env })
    : spawn('/bin/sh', ['-c', WRAPPER, 'natsmesh-nats-watchdog', dir, bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });

  let ended = false;
  let end!: (code: number | string) => void;
  const exited = new Promise<number | string>((done) => {
    end = (code) => {
      ended = true;
      done(code);
    };
  });
  child.once('exit', (code, signal) => end(code ?? signal ?? -1));
  let announce!: (pid: number) => void;
  let fail!: (err: Error) => void;
  const pid = new Promise<number>((ok, ko) => {
    announce = ok;
    fail = ko;
  });
  pid.catch(() => undefined);
  if (direct && child.pid !== undefined) announce(child.pid);
  child.once('error', (err) => {
    fail(err);
    // A child that could not be spawned at all never emits 'exit'.
    if (child.pid === undefined) end(-1);
  });
  void exited.then((code) => fail(new Error(`the process ended (${code}) before it started`)));

  const lines = (stream: NodeJS.ReadableStream, announces: boolean) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        const m = announces ? PID_LINE.exec(line) : null;
        if (m) announce(Number(m[1]));
        else onLine(line);
      }
    });
    stream.on('end', () => rest && onLine(rest));
  };
  if (child.stdout) lines(child.stdout, !direct);
  if (child.stderr) lines(child.stderr, false);

  // The server must never keep the test runner alive: a forgotten stop() is cleaned up by the watchdog.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as { unref?: () => void } | null)?.unref?.();

  return { child, pid, exited, hasExited: () => ended };
}
