import type { BalanceOptions } from '../balancing/strategy';
import type { Context } from '../runtime/context';
import type { MeshClient } from './mesh-client';
import type { RequestOptions } from './request-options';

/** The methods of `T` shaped like a handler, `(input?, ctx?: Context) => reply`. */
export type HandlerKeys<T> = {
  [K in keyof T]: T[K] extends (...args: infer P) => unknown ? (IsHandlerParams<P> extends true ? K : never) : never;
}[keyof T];

/**
 * None, an input, or an input and a parameter that accepts a `Context` (a narrower view of it
 * such as `Pick<Context, 'log'>` too). Checked on the parameter tuple, not by function
 * assignability, which TypeScript checks bivariantly for methods.
 */
type IsHandlerParams<P> = P extends [] | [unknown?] ? true : P extends [unknown, unknown?] ? (Context extends P[1] ? true : false) : false;

/**
 * The callable endpoints of a service type: each method shaped like a handler,
 * `(input?, ctx?: Context) => reply`, becomes `(input, options?) => Promise<reply>`.
 *
 * Types cannot see decorators, so the shape decides: a method with more parameters, or
 * whose second parameter does not accept a `Context`, is no handler and is left out (as are
 * `private` methods, which `keyof` does not list). An `@On` handler has the shape of an
 * endpoint; for an exact type, name the endpoints
 * (`client.service<typeof BookingService, 'save' | 'get'>(BookingService)`), which the
 * compiler checks against the handler-shaped methods. At run time the proxy has exactly the
 * `@Handle` methods either way. `ServiceProxy<any>` takes any endpoint name and any input.
 */
export type ServiceProxy<T> = unknown extends T
  ? { readonly [endpoint: string]: (input?: any, options?: RequestOptions) => Promise<any> }
  : { readonly [K in HandlerKeys<T>]: EndpointCall<T[K]> };

type EndpointCall<M> = M extends () => infer R
  ? (input?: undefined, options?: RequestOptions) => Promise<Awaited<R>>
  : M extends (input: infer I, ...rest: any[]) => infer R
    ? (input: I, options?: RequestOptions) => Promise<Awaited<R>>
    : never;

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
