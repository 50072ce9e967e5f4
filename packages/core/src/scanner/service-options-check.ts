import { MeshError } from '../errors/mesh-error';
import type { ServiceOptions } from '../metadata/options';

// semver.org's recommended pattern, the one ADR-32's schemas (nats-io/jsm.go) check `version` with.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * Checks the `@Service` options that are served on the NATS Service API, where the official
 * schemas refuse anything else: a semver `version`, string `metadata` values, a string `description`.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the service, the option (and key) and the fix.
 */
export function checkServiceOptions(where: string, options: ServiceOptions): void {
  const { version, metadata } = options;
  if (version !== undefined && !(typeof version === 'string' && SEMVER.test(version))) {
    throw new MeshError('INVALID_OPTIONS', `${where} has version ${JSON.stringify(version)}: use semver such as "1.2.0" or "1.2.0-rc.1" (semver.org; no leading zeros, no empty identifiers).`);
  }
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new MeshError('INVALID_OPTIONS', `${where} has metadata ${String(metadata)}: pass an object of strings such as { team: "front" }.`);
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new MeshError('INVALID_OPTIONS', `${where}: metadata "${key}" is ${describe(value)}, but metadata values must be strings: write "${key}": ${JSON.stringify(String(value))}.`);
      }
    }
  }
  checkDescription(where, options.description);
  checkAccountName(options.account, `${where} option account`);
}

/** A NATS account name natsmesh writes into server configs and JWTs. */
export const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks an account name (`@Service({ account })`, an `--accounts` mapping).
 *
 * @throws MeshError `INVALID_OPTIONS` naming where and the allowed characters.
 */
export function checkAccountName(account: unknown, where: string): void {
  if (account !== undefined && !(typeof account === 'string' && ACCOUNT_NAME.test(account))) {
    throw new MeshError('INVALID_OPTIONS', `${where} is ${describe(account)}: name the NATS account with letters, digits, _ or - (up to 64), e.g. "PAYMENTS".`);
  }
}

/**
 * Checks a `description` option, served as a string on the NATS Service API.
 *
 * @throws MeshError `INVALID_OPTIONS` when it is not a string.
 */
export function checkDescription(where: string, description: unknown): void {
  if (description !== undefined && typeof description !== 'string') {
    throw new MeshError('INVALID_OPTIONS', `${where} has description ${describe(description)}: use a string.`);
  }
}

function describe(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}
