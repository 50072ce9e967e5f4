import type { DependencyContainer } from 'tsyringe';
import type { Constructor, Token } from '../metadata/options';

/**
 * Something the app's container can build: a class (one instance per app), or a token with
 * a value, a class (one instance per app) or a factory (called once).
 */
export type Provider<T = unknown> =
  | Constructor<T>
  | { readonly token: Token; readonly useValue: T }
  | { readonly token: Token; readonly useClass: Constructor<T> }
  | { readonly token: Token; readonly useFactory: (container: DependencyContainer) => T };
