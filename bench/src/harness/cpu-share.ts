import { readFileSync } from 'node:fs';

/** CPU tick counters of the whole machine and of the processes the bench runs. */
export interface CpuSnapshot {
  readonly total: number;
  readonly busy: number;
  readonly ours: number;
}

/** Machine-wide CPU ticks (all CPUs) and the busy part of them. */
export function machineTicks(): { total: number; busy: number } {
  // cpu  user nice system idle iowait irq softirq steal …
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { total, busy: total - f[3] - f[4] };
}

/** user + system CPU ticks (1/100 s) a process has used so far; 0 when it is gone. */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0;
  }
}

/** Reads the counters; undefined where /proc is missing. */
export function cpuSnapshot(pids: readonly number[]): CpuSnapshot | undefined {
  try {
    const m = machineTicks();
    return { ...m, ours: pids.reduce((n, pid) => n + processTicks(pid), 0) };
  } catch {
    return undefined;
  }
}

/**
 * The share of all CPU time (percent) that went to processes other than the bench's between
 * two snapshots: other work on the machine that skews the figures. Kernel network time of the
 * bench's own sockets counts as foreign too, so a quiet machine reads a few percent.
 */
export function foreignCpuPct(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined): number {
  if (!a || !b || b.total <= a.total) return NaN;
  return (100 * (b.busy - a.busy - (b.ours - a.ours))) / (b.total - a.total);
}

/** Where the CPU went while requests were in flight. */
export interface CpuSplit {
  /** Share of one core each process used. */
  readonly callerCorePct: number;
  readonly serviceCorePct: number;
  readonly serverCorePct: number;
  /** Share of the whole machine that was idle. */
  readonly machineIdlePct: number;
  /** CPU time per request, in microseconds. */
  readonly callerUsPerRequest: number;
  readonly serviceUsPerRequest: number;
}

/** CPU counters of the service, the server and the machine at one moment. */
export interface CpuCounters {
  readonly service: number;
  readonly server: number;
  readonly machine: { total: number; busy: number };
}

/** Counters to take before and after a window, see {@link cpuSplit}. */
export function cpuSplitStart(servicePid: number, serverPid: number): CpuCounters {
  return { service: processTicks(servicePid), server: processTicks(serverPid), machine: machineTicks() };
}

/**
 * The CPU split of a window. The caller measures its own CPU exactly (`callerCpuMs` over
 * `seconds`); the service's and the server's come from /proc, in 10 ms ticks.
 */
export function cpuSplit(
  start: CpuCounters,
  end: CpuCounters,
  callerCpuMs: number,
  seconds: number,
  requests: number,
): CpuSplit {
  // The service and the server only work while requests are in flight, so their ticks over
  // the slightly longer wall window all belong to the caller's `seconds`.
  const ticksPerSecond = 100;
  const serviceSeconds = (end.service - start.service) / ticksPerSecond;
  const serverSeconds = (end.server - start.server) / ticksPerSecond;
  const total = end.machine.total - start.machine.total;
  return {
    callerCorePct: (100 * callerCpuMs) / 1000 / seconds,
    serviceCorePct: (100 * serviceSeconds) / seconds,
    serverCorePct: (100 * serverSeconds) / seconds,
    machineIdlePct: total > 0 ? (100 * (total - (end.machine.busy - start.machine.busy))) / total : NaN,
    callerUsPerRequest: (callerCpuMs * 1000) / requests,
    serviceUsPerRequest: (serviceSeconds * 1e6) / requests,
  };
}
