import { MeshError } from '../errors/mesh-error';
import { metadataRegistry, type ClassRecord, type EventRecord, type HandlerRecord } from '../metadata/metadata-registry';
import { classChain } from '../metadata/class-chain';
import type { Constructor } from '../metadata/options';
import type {
  DependencyDefinition,
  DurableOnOptions,
  EndpointDefinition,
  ServiceDefinition,
  SubscriptionDefinition,
} from './service-definition';
import { checkOptionalMillis } from '../options/check-millis';
import { assertSubject } from './subject';
import { assertUnreserved } from './reserved-subject';
import { checkedSlo } from '../metrics/slo-options';
import { checkedBulkhead, checkedRateLimit, checkedRetry } from './resilience-check';
import { checkDescription, checkServiceOptions } from './service-options-check';
import { inputClassOf } from './input-type';
import { checkedAllow } from './allow-check';
import type { MiddlewareRef } from '../middleware/middleware';

/**
 * Turns a `@Service` class into its immutable definition. Handlers and subscriptions
 * declared on base classes are inherited; a subclass overrides a base method's record.
 *
 * @throws MeshError `NOT_A_SERVICE`, `INVALID_SUBJECT`, `UNRESOLVED_DEPENDENCY` or `INVALID_OPTIONS`.
 */
export function scanService(target: Constructor): ServiceDefinition {
  const own = metadataRegistry.get(target)?.service;
  if (typeof target !== 'function' || !own) {
    const name = typeof target === 'function' ? target.name : String(target);
    throw new MeshError('NOT_A_SERVICE', `${name} is not a service: decorate the class with @Service('name') to host it (createApp) or call it (client.service).`);
  }
  const cls = target.name;
  assertSubject(own.name, `@Service on ${cls}`, false);
  const options = own.options;
  checkServiceOptions(`@Service('${own.name}') on ${cls}`, options);
  const queue = options.queue ?? own.name;
  const serviceAllow = checkedAllow(options.allow, `@Service('${own.name}') on ${cls}`);
  const records = classChain(target).map((c) => metadataRegistry.get(c)).filter((r): r is ClassRecord => r !== undefined);

  checkUseTargets(records, cls);
  const handlers = new Map<string, HandlerRecord>();
  const events = new Map<string, EventRecord>();
  for (const rec of records) {
    for (const h of rec.handlers) handlers.set(h.method, h);
    for (const e of rec.events) events.set(`${e.method}\u0000${e.pattern}`, e);
  }

  return deepFreeze({
    name: own.name,
    version: options.version ?? '0.0.0',
    description: options.description,
    queue,
    metadata: { ...options.metadata },
    calls: [...(options.calls ?? [])],
    emits: [
      ...(options.emits ?? []).map((subject) => ({ subject, payload: undefined, description: undefined })),
      ...records.flatMap((r) => r.emits.map((e) => ({ subject: e.subject, payload: e.options.payload, description: e.options.description }))),
    ],
    account: options.account,
    endpoints: [...handlers.values()].map((h) => ({ ...endpointOf(own.name, queue, cls, h, serviceAllow), middleware: methodUse(records, h.method) })),
    subscriptions: [...events.values()].map((e) => ({ ...subscriptionOf(queue, cls, e, [...events.values()]), middleware: methodUse(records, e.method) })),
    dependencies: dependenciesOf(target, own.paramTypes),
    middleware: unique(records.flatMap((r) => r.use)),
    target,
  });
}

function endpointOf(service: string, queue: string, cls: string, h: HandlerRecord, serviceAllow: readonly string[] | undefined): Omit<EndpointDefinition, 'middleware'> {
  const where = `@Handle('${h.endpoint}') on ${cls}.${h.method}`;
  const subject = h.options.subject ?? `${service}.${h.endpoint}`;
  assertSubject(h.endpoint, where, false);
  assertSubject(subject, where, false);
  assertUnreserved(subject, where);
  checkDescription(where, h.options.description);
  const timeout = checkOptionalMillis(h.options.timeout, `${where}: option timeout`);
  return {
    name: h.endpoint,
    method: h.method,
    subject,
    queue: h.options.queue ?? queue,
    timeout,
    input: inputClassOf(where, { explicit: h.options.input, designType: h.inputType, untyped: h.untyped }),
    output: h.options.output,
    description: h.options.description,
    idempotent: h.options.idempotent,
    retry: h.options.retry === undefined || h.options.retry === false ? h.options.retry : checkedRetry(h.options.retry, where),
    rateLimit: h.options.rateLimit === undefined || h.options.rateLimit === false ? h.options.rateLimit : checkedRateLimit(h.options.rateLimit, where),
    bulkhead: h.options.bulkhead === undefined || h.options.bulkhead === false ? h.options.bulkhead : checkedBulkhead(h.options.bulkhead, where),
    slo: h.options.slo === undefined ? undefined : checkedSlo(h.options.slo, where),
    allow: checkedAllow(h.options.allow, where) ?? serviceAllow,
  };
}

function subscriptionOf(queue: string, cls: string, e: EventRecord, all: readonly EventRecord[]): Omit<SubscriptionDefinition, 'middleware'> {
  const where = `@On('${e.pattern}') on ${cls}.${e.method}`;
  assertSubject(e.pattern, where, true);
  const q = e.options.queue;
  return {
    method: e.method,
    pattern: e.pattern,
    queue: q === true ? derivedQueue(queue, e, all) : typeof q === 'string' && q.length > 0 ? q : undefined,
    durable: e.options.durable,
    durableOptions: e.options.durable === undefined ? undefined : durableOptionsOf(e),
    input: inputClassOf(where, { explicit: e.options.input, designType: e.inputType, untyped: e.untyped }),
    description: e.options.description,
  };
}

/**
 * The queue group of an `@On(…, { queue: true })`: its own, `<service queue>.<method>` (then
 * `.<n>` when the method has several queued patterns). NATS gives each message to one member of a
 * group across every subscription of that group that matches, so a group shared with an overlapping
 * subscription or endpoint would take messages from it. Derived from the class alone, so every
 * instance computes the same name and load balancing across instances still works.
 */
function derivedQueue(queue: string, e: EventRecord, all: readonly EventRecord[]): string {
  const siblings = all.filter((o) => o.method === e.method && o.options.queue === true);
  return siblings.length > 1 ? `${queue}.${e.method}.${siblings.indexOf(e) + 1}` : `${queue}.${e.method}`;
}

function durableOptionsOf(e: EventRecord): DurableOnOptions {
  const { stream, maxDeliver, backoff, ackWait, maxAckPending, deadLetter } = e.options;
  return { stream, maxDeliver, backoff: backoff === undefined ? undefined : [...backoff], ackWait, maxAckPending, deadLetter };
}

// Types the compiler emits for interfaces, unions and primitives: there is nothing to build.
const UNUSABLE: ReadonlySet<unknown> = new Set<unknown>([undefined, Object, String, Number, Boolean, Array, Function, Symbol, Promise]);

function dependenciesOf(target: Constructor, paramTypes: readonly unknown[]): DependencyDefinition[] {
  const injections = metadataRegistry.get(target)?.injections;
  if (paramTypes.length < target.length) {
    throw new MeshError(
      'UNRESOLVED_DEPENDENCY',
      `${target.name} takes ${target.length} constructor parameter(s) but no type information was emitted: ` +
        'enable "emitDecoratorMetadata" and "experimentalDecorators" in tsconfig and build with tsc (tsx and esbuild emit no metadata).',
    );
  }
  return paramTypes.map((type, index) => {
    const token = injections?.get(index);
    if (token === undefined && UNUSABLE.has(type)) {
      const typeName = typeof type === 'function' ? type.name : 'unknown';
      throw new MeshError(
        'UNRESOLVED_DEPENDENCY',
        `${target.name} constructor parameter #${index} has type ${typeName}, which dependency injection cannot build ` +
          '(an interface, union or primitive): add @Inject(token) to the parameter and register the token in createApp({ providers }).',
      );
    }
    return { index, token };
  });
}


/** `@Use` on one method across the class chain, base first; a middleware named twice runs once. */
function methodUse(records: readonly ClassRecord[], method: string): readonly MiddlewareRef[] {
  return unique(records.flatMap((r) => r.methodUse.get(method) ?? []));
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

// @Use on a method that handles nothing would be silently ignored.
function checkUseTargets(records: readonly ClassRecord[], cls: string): void {
  const handled = new Set(records.flatMap((r) => [...r.handlers.map((h) => h.method), ...r.events.map((e) => e.method)]));
  for (const r of records) {
    for (const method of r.methodUse.keys()) {
      if (!handled.has(method)) {
        throw new MeshError('INVALID_OPTIONS', `@Use on ${cls}.${method}, which has neither @Handle nor @On: middleware wraps handlers; add one, or put @Use on the class.`);
      }
    }
  }
}

// Middleware objects are the user's (a cache, a counter): their arrays are frozen, not they.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const [k, v] of Object.entries(value)) {
      if (k === 'middleware' && Array.isArray(v)) Object.freeze(v);
      else if (typeof v === 'object') deepFreeze(v);
    }
  }
  return value;
}
