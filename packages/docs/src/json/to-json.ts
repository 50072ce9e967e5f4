import type { ServiceDescription } from '@natsmesh/core';
import { normalizeDescriptions } from '../model/normalize-descriptions';

/**
 * The service descriptions, with their JSON Schemas, as pretty-printed JSON: sorted by service
 * name, keys in a fixed order, a trailing newline.
 */
export function toJson(descriptions: readonly ServiceDescription[]): string {
  return `${JSON.stringify(normalizeDescriptions(descriptions), null, 2)}\n`;
}
