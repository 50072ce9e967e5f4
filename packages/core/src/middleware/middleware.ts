import type { Constructor } from '../metadata/options';
import type { CallContext } from './call-context';
import type { EmitContext } from './emit-context';
import type { MessageContext } from './message-context';

/**
 * Runs the rest of the pipeline (the next middleware, at the end the handler or the send) and
 * returns what it returned: a value, or a promise of one when anything inside is asynchronous.
 * Calling it again runs the rest again (that is how the built-in retry works).
 */
export type Next = () => unknown;

/** The context of a `handle` hook: a request about to run a handler. */
export type HandleContext = MessageContext;
/** The context of an `event` hook: an event (plain or durable) about to run an `@On` handler. */
export type EventContext = MessageContext;

/**
 * A middleware: one object whose hooks wrap the four pipelines, onion-style (Koa's model,
 * Moleculer's hook object). Every hook is optional; a middleware takes part only in the
 * pipelines it has hooks for. A hook returns what `next()` returned, possibly changed, or
 * short-circuits by returning a value (the reply) or throwing a `MeshError` (the error reply).
 *
 * On the server, three hook kinds run in this order inside one middleware:
 * - `canActivate` (a guard, as in NestJS): `true` lets the message through, anything else
 *   answers `FORBIDDEN` (403) without running the handler;
 * - `before` / `after` / `error` (an interceptor): around the rest of the pipeline, without
 *   having to call `next()`;
 * - `handle` / `event`: the full hook with `next()`.
 * Guards and interceptors apply to requests and events; `handle` to requests, `event` to events.
 * On the client, `call` wraps `client.request` (and `ctx.request`), `emit` wraps `client.emit`.
 *
 * Everything is decided at boot: an endpoint without middleware calls its handler directly,
 * and a synchronous middleware around a synchronous handler allocates no promise.
 *
 * @example
 * class Timing implements Middleware {
 *   async handle(ctx: HandleContext, next: Next) {
 *     const t0 = performance.now();
 *     try { return await next(); } finally { ctx.log.info({ ms: performance.now() - t0 }, 'handled'); }
 *   }
 * }
 */
export interface Middleware {
  /** Name listed by `describe()`, `natsmesh info` and the docs; default the class name. */
  readonly name?: string;
  /** Guard: `true` runs the rest; `false` (or anything but `true`) answers `FORBIDDEN` (403). */
  canActivate?(ctx: HandleContext | EventContext): boolean | Promise<boolean>;
  /** Interceptor, before the rest of the pipeline runs; a promise is waited for, a throw answers with the error. */
  before?(ctx: HandleContext | EventContext): unknown;
  /** Interceptor, after the rest succeeded: returns the result to use (`undefined` keeps the result as it was). */
  after?(ctx: HandleContext | EventContext, result: unknown): unknown;
  /**
   * Interceptor, when the rest threw or rejected: throw to fail with another error (map a
   * library's error to a `MeshError` with a code), return a value to answer with it instead,
   * or return `undefined` to let the original error through.
   */
  error?(ctx: HandleContext | EventContext, err: unknown): unknown;
  /** Around a request's handler run on the server. */
  handle?(ctx: HandleContext, next: Next): unknown;
  /** Around an event delivery (plain or durable) on the server; a throw is a handler failure (durable: nak, redelivered). */
  event?(ctx: EventContext, next: Next): unknown;
  /** Around an outgoing request in the client (`client.request`, `ctx.request`, service proxies). */
  call?(ctx: CallContext, next: Next): unknown;
  /** Around an outgoing event in the client (`client.emit`, `ctx.emit`); `next()` is undefined for a plain emit, the ack promise for a durable one. */
  emit?(ctx: EmitContext, next: Next): unknown;
}

/** A middleware with a guard. */
export type Guard = Middleware & Required<Pick<Middleware, 'canActivate'>>;

/** A middleware instance, or a class that the app's dependency-injection container builds (once per app). */
export type MiddlewareRef = Middleware | Constructor<Middleware>;

/** The four pipelines. */
export type HookPoint = 'handle' | 'event' | 'call' | 'emit';
