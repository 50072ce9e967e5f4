import { MeshError } from '../errors/mesh-error';
import { assertSubject } from './subject';

/**
 * Checks an `allow` option: a list of service names or subject patterns (`hotel.>`) whose
 * generated NATS users may call the endpoint. Returns a frozen copy, or undefined when unset.
 *
 * @throws MeshError `INVALID_OPTIONS` when it is not an array, `INVALID_SUBJECT` for an entry that is no name or pattern.
 */
export function checkedAllow(allow: unknown, where: string): readonly string[] | undefined {
  if (allow === undefined) return undefined;
  if (!Array.isArray(allow)) {
    throw new MeshError('INVALID_OPTIONS', `${where} has allow ${typeof allow}: use a list of service names, e.g. allow: ['hotel.booking'] (or [] for no caller).`);
  }
  for (const entry of allow) assertSubject(entry as string, `${where} option allow`, true);
  return Object.freeze([...(allow as string[])]);
}
