import type FastGlob from 'fast-glob';
import { resolve } from 'node:path';
import { MeshError } from '../errors/mesh-error';
import { metadataRegistry } from '../metadata/metadata-registry';
import type { Constructor } from '../metadata/options';

/**
 * Imports the files that match `patterns` (relative to `cwd`, sorted so boot order is stable;
 * never a file under `node_modules`) and returns every exported `@Service` class.
 *
 * @throws MeshError `INVALID_OPTIONS` when nothing matches, a file fails to load (for a `.ts`
 *   file node cannot load, the message says to scan the compiled `.js`), or no service is exported.
 */
export async function loadServices(patterns: string | readonly string[], cwd = process.cwd()): Promise<Constructor[]> {
  const list = typeof patterns === 'string' ? [patterns] : [...patterns];
  // Loaded here only: an app that does not scan does not pay for fast-glob.
  const fg = require('fast-glob') as typeof FastGlob;
  // node_modules holds other packages' code: a broad glob such as "**/*.service.js" must not import it.
  const files = (await fg(list, { cwd, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**'] })).sort();
  if (files.length === 0) {
    throw new MeshError('INVALID_OPTIONS', `scan ${JSON.stringify(list)} matched no file under ${cwd}: build first (tsc -b) or fix the glob.`);
  }
  const found = new Set<Constructor>();
  for (const file of files) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(resolve(file))) as Record<string, unknown>;
    } catch (err) {
      throw new MeshError('INVALID_OPTIONS', cannotImport(file, err), undefined, { cause: err });
    }
    for (const value of Object.values(mod)) if (metadataRegistry.isService(value)) found.add(value);
  }
  if (found.size === 0) {
    throw new MeshError('INVALID_OPTIONS', `scan ${JSON.stringify(list)} imported ${files.length} file(s) but none exports a @Service class: export the service classes.`);
  }
  return [...found];
}

const TYPESCRIPT_FILE = /\.[cm]?ts$/;

function cannotImport(file: string, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  if (!TYPESCRIPT_FILE.test(file)) return `scan could not import ${file}: ${reason}`;
  // Plain node reads .ts as JavaScript and stops at the first decorator or type.
  return (
    `scan could not import ${file}: it is TypeScript source, which node cannot load (${reason}). ` +
    "Build first (tsc -b) and scan the compiled .js instead, e.g. scan: 'dist/**/*.service.js', or run under a TypeScript loader such as ts-node."
  );
}
