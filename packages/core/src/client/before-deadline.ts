import type { MeshError } from '../errors/mesh-error';

/**
 * `promise`, or a rejection with `onTimeout()` once the epoch-ms `deadline` passes first: a
 * call never waits on something (the registry's first scatter-gather, say) past its deadline.
 */
export function beforeDeadline<T>(promise: Promise<T>, deadline: number, onTimeout: () => MeshError): Promise<T> {
  const ms = deadline - Date.now();
  if (ms <= 0) return Promise.reject(onTimeout());
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
