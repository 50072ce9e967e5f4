import type { Constructor } from '../metadata/options';
import type { SloOptions } from '../metrics/slo-options';
import type { BulkheadOptions, RateLimitOptions, RetryOptions } from '../resilience/resilience-options';
import type { JsonSchema } from '../schema/json-schema';
import { toJsonSchema } from '../schema/to-json-schema';
import type { EndpointDefinition, ServiceDefinition, SubscriptionDefinition } from '../scanner/service-definition';
import { middlewareName } from '../middleware/middleware-name';

/**
 * A service definition as plain JSON data: classes appear by name, DTO classes also as their
 * JSON Schema. Docs generators, discovery and the CLI all read this shape.
 */
export interface ServiceDescription {
  name: string;
  version: string;
  description?: string;
  queue: string;
  metadata: Record<string, string>;
  calls: string[];
  /** `@Service({ account })`, when set. */
  account?: string;
  emits: { subject: string; payload?: string; description?: string; payloadSchema?: JsonSchema }[];
  endpoints: {
    name: string;
    subject: string;
    queue: string;
    timeout?: number;
    input?: string;
    output?: string;
    description?: string;
    inputSchema?: JsonSchema;
    outputSchema?: JsonSchema;
    idempotent?: boolean;
    retry?: RetryOptions | false;
    rateLimit?: RateLimitOptions | false;
    bulkhead?: BulkheadOptions | false;
    /** Names of the middleware around the handler, outermost first; absent when none. */
    middleware?: string[];
    /** The service level objective; absent when none. */
    slo?: SloOptions;
    /** Services (names or patterns) whose NATS users may call it; absent: every service that declares the call. */
    allow?: string[];
  }[];
  subscriptions: {
    pattern: string;
    method: string;
    queue?: string;
    durable?: string;
    /** With `durable`: the stream named in `@On`, when one is; else natsmesh derives it at createApp. */
    stream?: string;
    /** With `durable`: the dead-letter subject named in `@On`, when one is. */
    deadLetter?: string;
    input?: string;
    description?: string;
    inputSchema?: JsonSchema;
    /** Names of the middleware around the handler, outermost first; absent when none. */
    middleware?: string[];
  }[];
}

/**
 * The names of the middleware around a handler. A running app knows them all (app-wide, built-ins,
 * `@Use`); without one, {@link describeService} lists the service's and the handler's `@Use`.
 */
export type MiddlewareNamesOf = (s: ServiceDefinition, handler: EndpointDefinition | SubscriptionDefinition) => readonly string[];

/**
 * The plain-data description of a service definition, with the JSON Schema of every DTO class
 * and the names of the middleware around each handler (`middlewareOf`, default the `@Use` ones).
 */
export function describeService(s: ServiceDefinition, middlewareOf: MiddlewareNamesOf = useNames): ServiceDescription {
  return prune({
    name: s.name,
    version: s.version,
    description: s.description,
    queue: s.queue,
    metadata: { ...s.metadata },
    calls: [...s.calls],
    account: s.account,
    emits: s.emits.map((e) =>
      prune({ subject: e.subject, payload: e.payload?.name, description: e.description, payloadSchema: schemaOf(e.payload) }),
    ),
    endpoints: s.endpoints.map((e) =>
      prune({
        name: e.name,
        subject: e.subject,
        queue: e.queue,
        timeout: e.timeout,
        input: e.input?.name,
        output: e.output?.name,
        description: e.description,
        inputSchema: schemaOf(e.input),
        outputSchema: schemaOf(e.output),
        idempotent: e.idempotent,
        retry: e.retry === undefined || e.retry === false ? e.retry : prune({ ...e.retry, retryOn: e.retry.retryOn === undefined ? undefined : [...e.retry.retryOn] }),
        rateLimit: e.rateLimit === undefined || e.rateLimit === false ? e.rateLimit : { ...e.rateLimit },
        bulkhead: e.bulkhead === undefined || e.bulkhead === false ? e.bulkhead : { ...e.bulkhead },
        middleware: namesOrNone(middlewareOf(s, e)),
        slo: e.slo === undefined ? undefined : { ...e.slo, ...(e.slo.clientCodes ? { clientCodes: [...e.slo.clientCodes] } : {}) },
        allow: e.allow === undefined ? undefined : [...e.allow],
      }),
    ),
    subscriptions: s.subscriptions.map((e) =>
      prune({
        pattern: e.pattern,
        method: e.method,
        queue: e.queue,
        durable: e.durable,
        stream: e.durableOptions?.stream,
        deadLetter: e.durableOptions?.deadLetter,
        input: e.input?.name,
        description: e.description,
        inputSchema: schemaOf(e.input),
        middleware: namesOrNone(middlewareOf(s, e)),
      }),
    ),
  });
}

function useNames(s: ServiceDefinition, handler: EndpointDefinition | SubscriptionDefinition): readonly string[] {
  return [...s.middleware, ...handler.middleware].map((ref) => (typeof ref === 'function' ? ref.name : middlewareName(ref)));
}

function namesOrNone(names: readonly string[]): string[] | undefined {
  return names.length === 0 ? undefined : [...names];
}

function schemaOf(dto: Constructor | undefined): JsonSchema | undefined {
  return dto === undefined ? undefined : toJsonSchema(dto);
}

function prune<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined) delete obj[k];
  return obj;
}
