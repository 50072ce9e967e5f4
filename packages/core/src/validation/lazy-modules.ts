import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';

// class-validator and class-transformer add about 10 MB of RSS (measured in bench/): an app
// whose handlers take no DTO never loads them.
let validator: typeof ClassValidator | undefined;
let transformer: typeof ClassTransformer | undefined;

/** class-validator, loaded on first use. */
export function classValidator(): typeof ClassValidator {
  return (validator ??= require('class-validator') as typeof ClassValidator);
}

/** class-transformer, loaded on first use. */
export function classTransformer(): typeof ClassTransformer {
  return (transformer ??= require('class-transformer') as typeof ClassTransformer);
}
