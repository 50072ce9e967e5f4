import { checkNatsInput } from '../client/check-nats-input';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import type { AppOptions } from './app-options';

const WHERE = 'createApp';

/**
 * Checks the shape of `createApp`'s non-numeric options (scan, cwd, providers, container,
 * instance, validation, jetstream, control, nats), so that a wrong type fails here, named, rather than
 * deep inside the build.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option and what it takes.
 */
export function checkAppShapes(options: AppOptions): void {
  const scan: unknown = options.scan;
  if (scan !== undefined && typeof scan !== 'string' && !(Array.isArray(scan) && scan.every((g) => typeof g === 'string'))) {
    invalid('scan', scan, 'use a glob such as "dist/**/*.service.js", or a list of globs');
  }
  if (options.cwd !== undefined && typeof options.cwd !== 'string') invalid('cwd', options.cwd, 'use a directory path');
  if (options.providers !== undefined && !Array.isArray(options.providers)) invalid('providers', options.providers, 'use a list of providers');
  if (options.container !== undefined && !isObject(options.container)) invalid('container', options.container, 'use a tsyringe container');
  const instance: unknown = options.instance;
  if (instance !== undefined && typeof instance !== 'string') {
    if (!isObject(instance)) invalid('instance', instance, 'use an id string or { id, zone }');
    const id = (instance as { id?: unknown }).id;
    if (id !== undefined && typeof id !== 'string') invalid('instance.id', id, 'use a string');
  }
  if (options.validation !== undefined && !isObject(options.validation)) invalid('validation', options.validation, 'use class-validator options such as { whitelist: true }');
  if (options.jetstream !== undefined && !isObject(options.jetstream)) invalid('jetstream', options.jetstream, 'use JetStream settings such as { domain, streams }');
  if (options.control !== undefined && typeof options.control !== 'boolean') invalid('control', options.control, 'use true or false');
  checkNatsInput(options.nats, WHERE);
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(name: string, value: unknown, fix: string): never {
  throw new MeshError('INVALID_OPTIONS', `${WHERE} option ${name} is ${describeValue(value)}: ${fix}.`);
}
