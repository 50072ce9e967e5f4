import 'reflect-metadata';

// The only module that reads TypeScript's emitted design metadata (needs emitDecoratorMetadata).

/** Constructor parameter types of a class, `[]` when the compiler emitted none. */
export function constructorParamTypes(target: object): readonly unknown[] {
  return (Reflect.getMetadata('design:paramtypes', target) as unknown[] | undefined) ?? [];
}

/** The design type of a method's first parameter, undefined when none was emitted. */
export function firstParamType(prototype: object, method: string | symbol): unknown {
  const types = Reflect.getMetadata('design:paramtypes', prototype, method) as unknown[] | undefined;
  return types?.[0];
}

/**
 * True when a method declares parameters but the compiler emitted no design types for it
 * (emitDecoratorMetadata off, or built by tsx/esbuild): its input type is then unknown.
 */
export function hasUntypedParams(prototype: object, method: string | symbol): boolean {
  const fn = (prototype as Record<string | symbol, unknown>)[method];
  return typeof fn === 'function' && fn.length > 0 && !Reflect.hasOwnMetadata('design:paramtypes', prototype, method);
}
