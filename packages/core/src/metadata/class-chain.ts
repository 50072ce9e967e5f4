import type { Constructor } from './options';

/** A class and its ancestors, base class first, `Object`'s prototype chain end excluded. */
export function classChain(target: Constructor): Constructor[] {
  const chain: Constructor[] = [];
  for (let c: unknown = target; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    chain.unshift(c as Constructor);
  }
  return chain;
}
