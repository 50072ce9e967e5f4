import type { MiddlewareRef } from '../middleware/middleware';
import type { Constructor, EmitsOptions, HandleOptions, OnOptions, ServiceOptions, Token } from './options';

/** What `@Service` recorded on a class. */
export interface ServiceRecord {
  readonly name: string;
  readonly options: ServiceOptions;
  /** Constructor parameter design types, read once when the decorator ran. */
  readonly paramTypes: readonly unknown[];
}

/** What `@Handle` recorded on a method. */
export interface HandlerRecord {
  readonly method: string;
  readonly endpoint: string;
  readonly options: HandleOptions;
  readonly inputType: unknown;
  /** The method takes parameters but no design types were emitted for them. */
  readonly untyped: boolean;
}

/** What `@On` recorded on a method. */
export interface EventRecord {
  readonly method: string;
  readonly pattern: string;
  readonly options: OnOptions;
  readonly inputType: unknown;
  /** The method takes parameters but no design types were emitted for them. */
  readonly untyped: boolean;
}

/** What `@Emits` recorded on a class. */
export interface EmitsRecord {
  readonly subject: string;
  readonly options: EmitsOptions;
}

/** Everything natsmesh knows about one class (not its base classes). */
export interface ClassRecord {
  service?: ServiceRecord;
  readonly handlers: HandlerRecord[];
  readonly events: EventRecord[];
  readonly emits: EmitsRecord[];
  readonly injections: Map<number, Token>;
  /** What `@Use` recorded on the class, in the order given. */
  readonly use: MiddlewareRef[];
  /** What `@Use` recorded on its methods, by method name. */
  readonly methodUse: Map<string, MiddlewareRef[]>;
  /** What `@Describe` recorded on the class itself (DTOs). */
  doc?: DtoDoc;
  /** What `@Describe` recorded on its properties, in declaration order. */
  readonly propertyDocs: Map<string, DtoDoc>;
}

/** What `@Describe` recorded on a DTO class or one of its properties. */
export interface DtoDoc {
  readonly description: string;
  /** Present when an example was given (it may be any JSON value, `null` included). */
  readonly example?: { readonly value: unknown };
  readonly deprecated: boolean;
}

const KEY = Symbol.for('natsmesh.metadata-registry');
type Store = WeakMap<Constructor, ClassRecord>;

// One store per process, even if two copies of @natsmesh/core are loaded (class-validator does the same).
const store: Store = ((globalThis as Record<symbol, unknown>)[KEY] as Store | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = new WeakMap());

/**
 * The one typed metadata registry: decorators write plain records here, the scanner reads them.
 */
export const metadataRegistry = {
  /** The record of a class, created on first write. */
  edit(target: Constructor): ClassRecord {
    let rec = store.get(target);
    if (!rec) {
      rec = { handlers: [], events: [], emits: [], injections: new Map(), use: [], methodUse: new Map(), propertyDocs: new Map() };
      store.set(target, rec);
    }
    return rec;
  },
  /** The record of exactly this class, or undefined. */
  get(target: Constructor): Readonly<ClassRecord> | undefined {
    return store.get(target);
  },
  /** True when the class itself carries `@Service`. */
  isService(target: unknown): target is Constructor {
    return typeof target === 'function' && store.get(target as Constructor)?.service !== undefined;
  },
};
