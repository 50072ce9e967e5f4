import { rmSync } from 'node:fs';

/** What the exit hook needs to clean up after one server. */
export interface TrackedServer {
  /** Pid of the running server process, if one runs. */
  livePid(): number | undefined;
  /** Temp dir the server owns. */
  readonly dir: string;
}

const running = new Set<TrackedServer>();
let hooked = false;

/**
 * Registers a server so it is killed and its temp dir removed when this process exits without
 * stopping it. (The spawn watchdog also covers deaths where no exit hook can run.)
 */
export function trackServer(server: TrackedServer): void {
  running.add(server);
  if (!hooked) {
    hooked = true;
    process.once('exit', killAllSync);
  }
}

/** Forgets a server that has been stopped. */
export function untrackServer(server: TrackedServer): void {
  running.delete(server);
}

function killAllSync(): void {
  // Only synchronous work runs in an 'exit' listener.
  for (const server of running) {
    const pid = server.livePid();
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(server.dir, { recursive: true, force: true });
  }
  running.clear();
}
