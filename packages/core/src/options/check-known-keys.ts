import { MeshError } from '../errors/mesh-error';

/**
 * Refuses a key of an options object that is not one of `known`: a typo (`defaultMetric` for
 * `defaultMetrics`) would otherwise be ignored and its default silently used.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the first unknown key (`<where>.<key>`) and the known ones.
 */
export function checkKnownKeys(value: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new MeshError('INVALID_OPTIONS', `${where}.${key} is not an option: use ${known.join(', ')} (check the spelling).`);
    }
  }
}
