import type { ServiceDefinition } from '../scanner/service-definition';

/** A service definition as plain JSON data: classes appear by name. */
export interface ServiceDescription {
  name: string;
  version: string;
  description?: string;
  queue: string;
  metadata: Record<string, string>;
  calls: string[];
  emits: { subject: string; payload?: string; description?: string }[];
  endpoints: { name: string; subject: string; queue: string; timeout?: number; input?: string; output?: string; description?: string }[];
  subscriptions: { pattern: string; method: string; queue?: string; durable?: string; input?: string; description?: string }[];
}

/** The plain-data description of a service definition. */
export function describeService(s: ServiceDefinition): ServiceDescription {
  return prune({
    name: s.name,
    version: s.version,
    description: s.description,
    queue: s.queue,
    metadata: { ...s.metadata },
    calls: [...s.calls],
    emits: s.emits.map((e) => prune({ subject: e.subject, payload: e.payload?.name, description: e.description })),
    endpoints: s.endpoints.map((e) =>
      prune({ name: e.name, subject: e.subject, queue: e.queue, timeout: e.timeout, input: e.input?.name, output: e.output?.name, description: e.description }),
    ),
    subscriptions: s.subscriptions.map((e) =>
      prune({ pattern: e.pattern, method: e.method, queue: e.queue, durable: e.durable, input: e.input?.name, description: e.description }),
    ),
  });
}

function prune<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined) delete obj[k];
  return obj;
}
