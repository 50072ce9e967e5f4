import type { MeshError } from '../errors/mesh-error';

/**
 * The promise a plain emit returns when an asynchronous `emit` middleware made one. It notes
 * whether anyone attached a handler (`await`, `.then`, `.catch`, `.finally` all call `then`), so
 * a failure can go to the caller when someone waits, and to a reporter when no one does.
 */
class EmitOutcome extends Promise<unknown> {
  // Derived promises are plain ones: only the one the emit returns is watched.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  awaited = false;

  override then<R1 = unknown, R2 = never>(
    onFulfilled?: ((value: unknown) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.awaited = true;
    return super.then(onFulfilled, onRejected);
  }
}

/**
 * `out` (a middleware's promise) as a promise that never rejects unhandled: it rejects with
 * `normalise(err)` for whoever awaits it, and when no handler was attached by the time it failed,
 * `report` (if any) is told instead. What `report` throws is ignored.
 */
export function emitOutcome(
  out: PromiseLike<unknown>,
  normalise: (err: unknown) => MeshError,
  report: ((err: MeshError) => void) | undefined,
): Promise<unknown> {
  const outcome = new EmitOutcome((resolve, reject) => {
    out.then(resolve, (err: unknown) => reject(normalise(err)));
  });
  // Attached with the plain `then`, so it does not count as someone waiting; it marks the promise handled.
  Promise.prototype.then.call(outcome, undefined, (err: MeshError) => {
    if (outcome.awaited || report === undefined) return;
    try {
      report(err);
    } catch {
      // a reporter that fails has nowhere to report to
    }
  });
  return outcome;
}
