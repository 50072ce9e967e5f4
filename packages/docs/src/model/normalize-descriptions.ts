import { checkedSlo, orderJsonSchema, type JsonSchema, type ServiceDescription, type SloOptions } from '@natsmesh/core';
import { DocsError } from '../errors';

type Endpoint = ServiceDescription['endpoints'][number];
type Subscription = ServiceDescription['subscriptions'][number];
type Emitted = ServiceDescription['emits'][number];

/**
 * The descriptions every generator works from: deep copies with their keys in one fixed order,
 * sorted by service name then version, exact duplicates (several instances of one service) dropped.
 * Descriptions read from code and descriptions received over NATS as JSON come out equal.
 *
 * @throws DocsError `DUPLICATE_SERVICE` when two different descriptions share a name and version.
 */
export function normalizeDescriptions(descriptions: readonly ServiceDescription[]): ServiceDescription[] {
  const byKey = new Map<string, { service: ServiceDescription; json: string }>();
  for (const d of descriptions) {
    const service = normalizeService(d);
    const key = `${service.name}@${service.version}`;
    const json = JSON.stringify(service);
    const seen = byKey.get(key);
    if (seen && seen.json !== json) {
      throw new DocsError(
        'DUPLICATE_SERVICE',
        `Two different descriptions of service ${key} were given: give each version of a service its own version number, or document one app at a time.`,
      );
    }
    byKey.set(key, { service, json });
  }
  return [...byKey.values()].map((v) => v.service).sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version));
}

/** Plain code-unit order: the same in every locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalizeService(d: ServiceDescription): ServiceDescription {
  return clean({
    name: d.name,
    version: d.version,
    description: d.description,
    queue: d.queue,
    metadata: Object.fromEntries(Object.entries(d.metadata ?? {}).sort(([a], [b]) => compare(a, b))),
    calls: [...(d.calls ?? [])],
    account: d.account,
    emits: (d.emits ?? []).map(emitted),
    endpoints: (d.endpoints ?? []).map(endpoint),
    subscriptions: (d.subscriptions ?? []).map(subscription),
  });
}

function emitted(e: Emitted): Emitted {
  return clean({ subject: e.subject, payload: e.payload, description: e.description, payloadSchema: schema(e.payloadSchema) });
}

function endpoint(e: Endpoint): Endpoint {
  return clean({
    name: e.name,
    subject: e.subject,
    queue: e.queue,
    timeout: e.timeout,
    input: e.input,
    output: e.output,
    description: e.description,
    inputSchema: schema(e.inputSchema),
    outputSchema: schema(e.outputSchema),
    middleware: middlewareNames(e.middleware),
    slo: sloOf(e.slo),
    // Who may call it: natsmesh acl reads it from the same model.
    allow: stringList(e.allow),
  });
}

function subscription(s: Subscription): Subscription {
  return clean({
    pattern: s.pattern,
    method: s.method,
    queue: s.queue,
    durable: s.durable,
    stream: typeof s.stream === 'string' ? s.stream : undefined,
    deadLetter: typeof s.deadLetter === 'string' ? s.deadLetter : undefined,
    input: s.input,
    description: s.description,
    inputSchema: schema(s.inputSchema),
    middleware: middlewareNames(s.middleware),
  });
}

// Descriptions come from other processes, older ones included: a field that is absent, not a
// list or holds anything but strings must not reach a generator.
function middlewareNames(names: unknown): string[] | undefined {
  if (!Array.isArray(names)) return undefined;
  const clean = names.filter((n): n is string => typeof n === 'string');
  return clean.length === 0 ? undefined : clean;
}

// An SLO received over NATS is checked as the scanner checks one in code; a broken one is left out.
function sloOf(slo: unknown): SloOptions | undefined {
  if (slo === undefined || slo === null) return undefined;
  try {
    return checkedSlo(slo, 'slo');
  } catch {
    return undefined;
  }
}

// Unlike middleware names, an empty allow list means something (no caller): it is kept.
function stringList(list: unknown): string[] | undefined {
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : undefined;
}

function schema(s: JsonSchema | undefined): JsonSchema | undefined {
  return s === undefined ? undefined : (JSON.parse(JSON.stringify(orderJsonSchema(s))) as JsonSchema);
}

function clean<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined || obj[k] === null) delete obj[k];
  return obj;
}
