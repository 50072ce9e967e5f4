import type { BalanceOptions } from '../balancing/strategy';
import type { MeshClient } from './mesh-client';
import type { RequestOptions } from './request-options';

/** The callable endpoints of a service type: each method becomes `(input, options?) => Promise<reply>`. */
export type ServiceProxy<T> = {
  readonly [K in keyof T as T[K] extends (...args: any[]) => unknown ? K : never]: T[K] extends () => infer R
    ? (input?: undefined, options?: RequestOptions) => Promise<Awaited<R>>
    : T[K] extends (input: infer I, ...rest: any[]) => infer R
      ? (input: I, options?: RequestOptions) => Promise<Awaited<R>>
      : never;
};

type Call = (input?: unknown, options?: RequestOptions) => Promise<unknown>;

/**
 * Builds the proxy. `subjectOf` maps a property name to the subject it requests, or
 * undefined when the service has no such endpoint; one function per endpoint is made on
 * first use and kept.
 */
export function createServiceProxy<T extends object>(
  client: MeshClient,
  subjectOf: (prop: string) => string | undefined,
  balance?: BalanceOptions,
): ServiceProxy<T> {
  const calls = new Map<string, Call>();
  return new Proxy({} as ServiceProxy<T>, {
    get(_target, prop) {
      // Not thenable, so `await client.service(...)` returns the proxy itself.
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      let call = calls.get(prop);
      if (!call) {
        const subject = subjectOf(prop);
        if (subject === undefined) return undefined;
        call =
          balance === undefined
            ? (input, options) => client.request(subject, input, options)
            : (input, options) => client.request(subject, input, options === undefined ? balance : { ...balance, ...options });
        calls.set(prop, call);
      }
      return call;
    },
  });
}
