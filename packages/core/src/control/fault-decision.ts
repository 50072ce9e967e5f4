import type { MsgHdrs } from 'nats';
import type { CompiledFault } from './fault-plan';

/** The faults one request gets: the delays drawn (ms in all), then the abort drawn, if any. */
export interface FaultHit {
  readonly delayMs: number;
  /** The faults whose delay was drawn, in name order. */
  readonly delayed: readonly CompiledFault[];
  /** The first fault (by name) whose abort was drawn. */
  readonly abort: CompiledFault | undefined;
}

/**
 * Draws the faults of one request: each fault that matches draws its delay and its abort on its
 * own (Istio's `percentage`); delays add up, the first abort drawn ends the request after them.
 * Undefined (nothing allocated) when none was drawn.
 */
export function drawFaults(faults: readonly CompiledFault[], headers: MsgHdrs | undefined, caller: string | undefined, random: () => number): FaultHit | undefined {
  let delayed: CompiledFault[] | undefined;
  let delayMs = 0;
  let abort: CompiledFault | undefined;
  for (const f of faults) {
    if (f.matches !== undefined && !f.matches(headers, caller)) continue;
    if (f.delay !== undefined && random() < f.delay.share) {
      (delayed ??= []).push(f);
      delayMs += f.delay.ms;
    }
    if (abort === undefined && f.abort !== undefined && random() < f.abort.share) abort = f;
  }
  if (delayed === undefined && abort === undefined) return undefined;
  return { delayMs, delayed: delayed ?? [], abort };
}

/** The names of the faults of a hit, for the `fault` log field and the `natsmesh.fault` span attribute. */
export function faultNames(hit: FaultHit): string {
  const names = hit.delayed.map((f) => f.name);
  if (hit.abort !== undefined && !names.includes(hit.abort.name)) names.push(hit.abort.name);
  return names.join(',');
}

/** The `kind` label of `natsmesh_faults_injected_total` and `natsmesh_client_faults_injected_total`. */
export type FaultKind = 'delay' | 'abort';

/** Counts one injected fault into the metrics (undefined when metrics are off). */
export type CountFault = (fault: string, kind: FaultKind) => void;

/** Counts every fault of a hit. */
export function countHit(count: CountFault | undefined, hit: FaultHit): void {
  if (count === undefined) return;
  for (const f of hit.delayed) count(f.name, 'delay');
  if (hit.abort !== undefined) count(hit.abort.name, 'abort');
}
