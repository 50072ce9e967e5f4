import type { Constructor } from '../metadata/options';
import { metadataRegistry, type DtoDoc } from '../metadata/metadata-registry';

/** Options of {@link Describe}. */
export interface DescribeOptions {
  /** A typical value, shown in generated docs (JSON Schema `examples`) and used for example payloads. */
  readonly example?: unknown;
  /** Marks the field or DTO as deprecated in the generated schema. */
  readonly deprecated?: boolean;
}

/**
 * Documents a DTO class or one of its properties: the text becomes the JSON Schema
 * `description` in `app.describe()`, AsyncAPI, Markdown and HTML docs. It records data only;
 * validation stays with class-validator.
 *
 * @example
 * \@Describe('Body of hotel.booking.save')
 * class SaveBooking {
 *   \@Describe('Full name of the guest', { example: 'Ann Smith' })
 *   \@IsString() guest!: string;
 * }
 */
export function Describe(description: string, options: DescribeOptions = {}): ClassDecorator & PropertyDecorator {
  const doc: DtoDoc = {
    description,
    ...('example' in options ? { example: { value: options.example } } : {}),
    deprecated: options.deprecated === true,
  };
  return (target: object, property?: string | symbol) => {
    if (property === undefined) {
      metadataRegistry.edit(target as Constructor).doc = doc;
    } else {
      metadataRegistry.edit((target as { constructor: Constructor }).constructor).propertyDocs.set(String(property), doc);
    }
  };
}
