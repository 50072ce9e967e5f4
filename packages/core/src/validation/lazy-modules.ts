import type * as ClassTransformer from 'class-transformer';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import type * as ClassValidator from 'class-validator';

// class-validator and class-transformer add about 10 MB of RSS (measured in bench/): an app
// whose handlers take no DTO never loads them.
let validator: typeof ClassValidator | undefined;
let transformer: typeof ClassTransformer | undefined;
let transformerMetadata: TransformerStorage | undefined;

/** class-validator, loaded on first use. */
export function classValidator(): typeof ClassValidator {
  return (validator ??= require('class-validator') as typeof ClassValidator);
}

/** class-transformer, loaded on first use. */
export function classTransformer(): typeof ClassTransformer {
  return (transformer ??= require('class-transformer') as typeof ClassTransformer);
}

/**
 * class-transformer's decorator metadata (`@Type`, `@Expose`, …). Version 0.5 keeps it in a
 * singleton that no public entry point exports.
 */
export function classTransformerStorage(): TransformerStorage {
  return (transformerMetadata ??= (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage }).defaultMetadataStorage);
}
