import type { Contender } from '../contenders';
import type { BenchSettings } from '../settings';
import { BenchPair, type ChildFlags } from './bench-pair';
import { cpuSnapshot, cpuSplit, cpuSplitStart, foreignCpuPct, type CpuSplit } from './cpu-share';
import { describeError, type LoadResult } from './ipc';
import { currentRssMb, peakRssMb } from './rss';

/** What one round measured for one contender; a failed figure has an entry in `failures`. */
export interface RoundResult {
  sequential?: LoadResult;
  inFlight?: LoadResult;
  eventsPerSec?: number;
  /** Peak RSS of the service over its whole life (boot, warm-up, every figure). */
  serviceRssMb?: number;
  /** RSS of the service once it reported ready, before any load. */
  serviceIdleRssMb?: number;
  /** CPU share that other processes on the machine took while this round was measured. */
  foreignCpuPct?: number;
  /** Set by the runner when other work took too much CPU; medians leave such rounds out when they can. */
  disturbed?: boolean;
  /** Where the CPU went during the measured 64-in-flight window. */
  inFlightCpu?: CpuSplit;
  failures: string[];
}

export type { ChildFlags };

/**
 * One round of one contender: a fresh service process and a fresh caller process, warm-up,
 * then sequential, in-flight and events figures, then the service's peak RSS. Both children
 * are stopped whatever happens.
 */
export async function measureRound(
  c: Contender,
  url: string,
  s: BenchSettings,
  serverPid: number,
  flags: ChildFlags = {},
  only?: 'in-flight',
): Promise<RoundResult> {
  const result: RoundResult = { failures: [] };
  let pair: BenchPair;
  try {
    pair = await BenchPair.start(c.id, c.service, c.caller, url, flags);
  } catch (err) {
    result.failures.push(`start: ${describeError(err)}`);
    return result;
  }
  const servicePid = pair.service.pid;
  const idle = currentRssMb(servicePid);
  if (Number.isFinite(idle)) result.serviceIdleRssMb = idle;
  const pids = [process.pid, serverPid, servicePid, pair.caller.pid];
  const before = cpuSnapshot(pids);
  try {
    if (only !== 'in-flight') {
      try {
        await pair.load(1, s.sequentialWarmMs);
        result.sequential = await pair.load(1, s.sequentialMs);
      } catch (err) {
        result.failures.push(`sequential: ${describeError(err)}`);
      }
    }
    try {
      await pair.load(s.inFlight, s.inFlightWarmMs);
      const cpuStart = cpuSplitStart(servicePid, serverPid);
      const r = await pair.load(s.inFlight, s.inFlightMs);
      result.inFlight = r;
      result.inFlightCpu = cpuSplit(cpuStart, cpuSplitStart(servicePid, serverPid), r.cpuMs, r.seconds, r.count);
    } catch (err) {
      result.failures.push(`in-flight: ${describeError(err)}`);
    }
    if (c.events && only !== 'in-flight') {
      try {
        result.eventsPerSec = await pair.eventsFor(s.eventsWarm, s.events, s.eventsSeconds);
      } catch (err) {
        result.failures.push(`events: ${describeError(err)}`);
      }
    }
    result.foreignCpuPct = foreignCpuPct(before, cpuSnapshot(pids));
    const rss = peakRssMb(servicePid);
    if (Number.isFinite(rss)) result.serviceRssMb = rss;
  } finally {
    await pair.stop();
  }
  return result;
}
