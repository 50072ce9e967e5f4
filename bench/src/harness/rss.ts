import { readFileSync } from 'node:fs';

/** Peak resident set size of a live process in MB (`VmHWM` of /proc/<pid>/status), NaN when unknown. */
export function peakRssMb(pid: number): number {
  return statusMb(pid, 'VmHWM');
}

/** Resident set size of a live process now, in MB (`VmRSS`), NaN when unknown. */
export function currentRssMb(pid: number): number {
  return statusMb(pid, 'VmRSS');
}

function statusMb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
