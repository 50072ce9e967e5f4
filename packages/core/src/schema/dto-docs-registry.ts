import type { Constructor } from '../metadata/options';

/** What `@Describe` recorded on a DTO class or one of its properties. */
export interface DtoDoc {
  readonly description: string;
  /** Present when an example was given (it may be any JSON value, `null` included). */
  readonly example?: { readonly value: unknown };
  readonly deprecated: boolean;
}

/** The docs of one DTO class (not its base classes): the class's own, and one per property in declaration order. */
export interface DtoDocRecord {
  type?: DtoDoc;
  readonly properties: Map<string, DtoDoc>;
}

const KEY = Symbol.for('natsmesh.dto-docs-registry');
type Store = WeakMap<Constructor, DtoDocRecord>;

// One store per process, like the metadata registry, so two copies of @natsmesh/core agree.
const store: Store = ((globalThis as Record<symbol, unknown>)[KEY] as Store | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = new WeakMap());

/** Where `@Describe` writes and {@link toJsonSchema} reads the human docs of DTO classes. */
export const dtoDocsRegistry = {
  /** The record of a class, created on first write. */
  edit(target: Constructor): DtoDocRecord {
    let rec = store.get(target);
    if (!rec) store.set(target, (rec = { properties: new Map() }));
    return rec;
  },
  /** The record of exactly this class, or undefined. */
  get(target: Constructor): Readonly<DtoDocRecord> | undefined {
    return store.get(target);
  },
};
