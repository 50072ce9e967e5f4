import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeService, loadServices, MeshError, scanService, type Constructor, type ServiceDescription } from '@natsmesh/core';
import { DocsError, getDocsErrorFromUnknown } from './errors';
import { normalizeDescriptions } from './model/normalize-descriptions';

/** Options of {@link loadDescriptions}. */
export interface LoadDescriptionsOptions {
  /**
   * Compiled modules to import (paths relative to `cwd`, or package names). Every exported
   * `@Service` class counts, and so does every `@Service` class in an exported array.
   */
  readonly modules?: readonly string[];
  /** Globs of compiled files, as in `createApp({ scan })`: every exported `@Service` class counts. */
  readonly scan?: string | readonly string[];
  /** Where paths and globs resolve; default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * The descriptions of the services found in compiled code, sorted by name, read without building
 * any service and without connecting to NATS: the static input of the docs generators.
 *
 * @example
 * const descriptions = await loadDescriptions({ scan: 'dist/**\/*.service.js' });
 * @throws DocsError `INVALID_OPTIONS` (nothing to load), `LOAD_FAILED`, `NO_SERVICES`.
 */
export async function loadDescriptions(options: LoadDescriptionsOptions): Promise<ServiceDescription[]> {
  const cwd = options.cwd ?? process.cwd();
  const modules = options.modules ?? [];
  if (modules.length === 0 && options.scan === undefined) {
    throw new DocsError('INVALID_OPTIONS', 'loadDescriptions needs modules (compiled files or packages) or scan (globs such as "dist/**/*.service.js").');
  }
  const classes = new Set<Constructor>();
  for (const spec of modules) for (const c of await servicesOf(spec, cwd)) classes.add(c);
  if (options.scan !== undefined) {
    try {
      for (const c of await loadServices(options.scan, cwd)) classes.add(c);
    } catch (err) {
      throw getDocsErrorFromUnknown('LOAD_FAILED', `loadDescriptions could not load scan ${JSON.stringify(options.scan)}`, err);
    }
  }
  if (classes.size === 0) {
    throw new DocsError('NO_SERVICES', `loadDescriptions imported ${modules.join(', ')} but found no @Service class: export the service classes (or an array of them).`);
  }
  try {
    return normalizeDescriptions([...classes].map((c) => describeService(scanService(c))));
  } catch (err) {
    throw getDocsErrorFromUnknown('LOAD_FAILED', 'loadDescriptions found a service it cannot describe', err);
  }
}

async function servicesOf(spec: string, cwd: string): Promise<Constructor[]> {
  let mod: Record<string, unknown>;
  try {
    const local = resolve(cwd, spec);
    const path = existsSync(local) ? local : require.resolve(spec, { paths: [cwd] });
    mod = (await import(path)) as Record<string, unknown>;
  } catch (err) {
    const fix = /\.[cm]?ts$/.test(spec)
      ? 'it is TypeScript source, which node cannot load: build first (tsc -b) and pass the compiled .js (e.g. dist/services.js), or run under a TypeScript loader'
      : 'build first (tsc -b) or fix the path';
    throw getDocsErrorFromUnknown('LOAD_FAILED', `loadDescriptions could not import ${spec} from ${cwd}; ${fix}`, err);
  }
  const candidates = Object.values(mod).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is Constructor => typeof v === 'function');
  return candidates.filter(isService);
}

function isService(candidate: Constructor): boolean {
  try {
    scanService(candidate);
    return true;
  } catch (err) {
    // Anything exported that is not a @Service class is skipped; a broken service is reported later.
    return !(MeshError.is(err) && err.code === 'NOT_A_SERVICE');
  }
}
