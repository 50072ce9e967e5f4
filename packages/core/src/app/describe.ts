import type { Constructor } from '../metadata/options';
import type { BulkheadOptions, RateLimitOptions, RetryOptions } from '../resilience/resilience-options';
import type { JsonSchema } from '../schema/json-schema';
import { toJsonSchema } from '../schema/to-json-schema';
import type { ServiceDefinition } from '../scanner/service-definition';

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
  }[];
  subscriptions: { pattern: string; method: string; queue?: string; durable?: string; input?: string; description?: string; inputSchema?: JsonSchema }[];
}

/** The plain-data description of a service definition, with the JSON Schema of every DTO class. */
export function describeService(s: ServiceDefinition): ServiceDescription {
  return prune({
    name: s.name,
    version: s.version,
    description: s.description,
    queue: s.queue,
    metadata: { ...s.metadata },
    calls: [...s.calls],
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
      }),
    ),
    subscriptions: s.subscriptions.map((e) =>
      prune({
        pattern: e.pattern,
        method: e.method,
        queue: e.queue,
        durable: e.durable,
        input: e.input?.name,
        description: e.description,
        inputSchema: schemaOf(e.input),
      }),
    ),
  });
}

function schemaOf(dto: Constructor | undefined): JsonSchema | undefined {
  return dto === undefined ? undefined : toJsonSchema(dto);
}

function prune<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined) delete obj[k];
  return obj;
}
