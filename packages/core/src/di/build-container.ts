import { instanceCachingFactory, Lifecycle, type DependencyContainer } from 'tsyringe';
import { MeshError } from '../errors/mesh-error';
import { constructorParamTypes } from '../metadata/design-types';
import type { Constructor } from '../metadata/options';
import { isUserClass } from '../scanner/user-class';
import type { ServiceDefinition } from '../scanner/service-definition';
import type { Provider } from './provider';

/**
 * Registers providers and services in a child of `parent`, then builds every service once.
 * A dependency that cannot be built fails here, at boot, naming the service and the fix.
 *
 * @throws MeshError `INVALID_OPTIONS` for a malformed provider, `UNRESOLVED_DEPENDENCY` when a service cannot be built.
 */
export function buildServices(
  parent: DependencyContainer,
  providers: readonly Provider[],
  services: readonly ServiceDefinition[],
  values: readonly [Constructor, unknown][],
): { container: DependencyContainer; instances: Map<ServiceDefinition, object> } {
  const container = parent.createChildContainer();
  for (const [token, value] of values) container.registerInstance(token, value);
  providers.forEach((p, i) => register(container, p, i));
  for (const s of services) container.register(s.target, { useClass: s.target }, { lifecycle: Lifecycle.Singleton });
  for (const s of services) {
    for (const d of s.dependencies) if (d.token === undefined) shareWithinApp(container, s.target, d.index);
  }

  const instances = new Map<ServiceDefinition, object>();
  for (const s of services) {
    try {
      instances.set(s, container.resolve(s.target) as object);
    } catch (err) {
      if (MeshError.is(err)) throw err;
      const reason = (err as Error).message.replace(/\s+/g, ' ');
      throw new MeshError(
        'UNRESOLVED_DEPENDENCY',
        `Cannot build service "${s.name}" (${s.target.name}): ${reason}. ` +
          'Decorate the dependency class with @injectable(), register it in createApp({ providers }), or inject it with @Inject(token).' +
          // tsyringe says this both for a class without @injectable() and for one built without design types.
          (reason.includes('TypeInfo not known')
            ? ' If it is decorated already, its constructor types were not emitted: set "emitDecoratorMetadata": true in tsconfig and build with tsc (tsx and esbuild emit none).'
            : ''),
        undefined,
        { cause: err },
      );
    }
  }
  return { container, instances };
}

/**
 * Registers the class a constructor parameter asks for, and the classes it asks for in turn,
 * as one instance per app, unless something already registered them. Two services that
 * inject one repository then share it, as NestJS and Moleculer users expect; tsyringe alone
 * would build a fresh one per injection.
 */
function shareWithinApp(container: DependencyContainer, owner: Constructor, index: number, seen = new Set<unknown>()): void {
  const type = constructorParamTypes(owner)[index];
  if (!isUserClass(type) || seen.has(type) || container.isRegistered(type, true)) return;
  seen.add(type);
  container.register(type, { useClass: type }, { lifecycle: Lifecycle.Singleton });
  constructorParamTypes(type).forEach((_, i) => shareWithinApp(container, type, i, seen));
}

function register(container: DependencyContainer, p: Provider, index: number): void {
  if (typeof p === 'function') {
    container.register(p, { useClass: p }, { lifecycle: Lifecycle.Singleton });
  } else if (p && typeof p === 'object' && 'token' in p) {
    if ('useValue' in p) container.register(p.token, { useValue: p.useValue });
    else if ('useClass' in p) container.register(p.token, { useClass: p.useClass }, { lifecycle: Lifecycle.Singleton });
    else if ('useFactory' in p) container.register(p.token, { useFactory: instanceCachingFactory(p.useFactory) });
    else throw badProvider(index);
  } else {
    throw badProvider(index);
  }
}

function badProvider(index: number): MeshError {
  return new MeshError('INVALID_OPTIONS', `providers[${index}] is not a provider: pass a class or { token, useValue | useClass | useFactory }.`);
}
