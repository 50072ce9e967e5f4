import { MeshError } from '../errors/mesh-error';
import type { FaultHit } from './fault-decision';
import type { CompiledFault } from './fault-plan';

/** The error of a request a fault aborted: the fault's code, a message naming the fault, the fault's name in `details.fault`. */
export function faultAbortError(f: CompiledFault, subject: string): MeshError<{ fault: string }> {
  const { rule } = f;
  return new MeshError(
    f.abort!.code,
    `Fault "${f.name}" of the control plane failed this request to "${subject}" on purpose (abort ${f.abort!.code}, ${rule.abort!.percent}% of matching requests, until ${new Date(rule.expiresAt).toISOString()}): ` +
      `nothing else is wrong; delete the fault (admin.faults.delete('${f.name}')) or let it expire.`,
    { fault: f.name },
  );
}

/** The values of the `Mesh-Fault` reply header for a hit: `<name>;delay=<ms>` per delay, `<name>;abort=<code>`. */
export function faultHeaderValues(hit: FaultHit): string[] {
  const values = hit.delayed.map((f) => `${f.name};delay=${f.delay!.ms}`);
  if (hit.abort !== undefined) values.push(`${hit.abort.name};abort=${hit.abort.abort!.code}`);
  return values;
}
