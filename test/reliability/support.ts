import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MeshError } from '@natsmesh/core';

/** Resolves once `check()` holds; rejects after `ms`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves with `p`, or rejects when it has not settled within `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// jest runs without --expose-gc; V8 can still hand out gc() to a fresh context.
setFlagsFromString('--expose-gc');
const gc = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);

/** Heap in use after two full collections, in MB. */
export async function heapMb(): Promise<number> {
  for (let i = 0; i < 2; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed / 1048576;
}

/** The MeshError code of a rejection, or a marker for anything that is not a MeshError. */
export function codeOf(err: unknown): string {
  return MeshError.is(err) ? err.code : `NOT_A_MESH_ERROR(${String(err)})`;
}

/** Counts outcomes by code (`OK` for success). */
export class Tally {
  readonly counts = new Map<string, number>();
  add(code: string): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
  }
  get(code: string): number {
    return this.counts.get(code) ?? 0;
  }
  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
  codes(): string[] {
    return [...this.counts.keys()].sort();
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
