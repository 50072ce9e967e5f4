import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { TestingError } from './errors';

/** Where nats-server lands when installed by a package manager rather than on PATH. */
export const NATS_SERVER_FALLBACK_PATHS: readonly string[] = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server'];

/** Where {@link resolveNatsServerBinary} looks; every field defaults to the real environment. */
export interface BinaryLookup {
  /** Environment holding `NATS_SERVER_BIN` and `PATH`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Paths tried after PATH; default {@link NATS_SERVER_FALLBACK_PATHS}. */
  fallbackPaths?: readonly string[];
}

/** The binary found (if any) and every place that was looked at, for error messages. */
export interface BinaryResolution {
  path: string | undefined;
  tried: string[];
}

/**
 * Finds the nats-server executable: `NATS_SERVER_BIN`, else `nats-server` on `PATH`, else the
 * fallback paths.
 *
 * @throws TestingError `NATS_SERVER_NOT_FOUND` when `NATS_SERVER_BIN` is set but names no executable file.
 */
export function resolveNatsServerBinary(lookup: BinaryLookup = {}): BinaryResolution {
  const env = lookup.env ?? process.env;
  const fallbacks = lookup.fallbackPaths ?? NATS_SERVER_FALLBACK_PATHS;
  const explicit = env.NATS_SERVER_BIN;
  if (explicit) {
    // An explicit setting that points nowhere is a mistake to report, not a reason to silently run another binary.
    const found = hasPathSeparator(explicit) ? executableFile(resolve(explicit)) : searchPath(explicit, env.PATH);
    if (found) return { path: found, tried: [explicit] };
    throw new TestingError(
      'NATS_SERVER_NOT_FOUND',
      `NATS_SERVER_BIN is set to "${explicit}", which is not an executable file${hasPathSeparator(explicit) ? '' : ' on PATH'}. ` +
        'Point it at a nats-server binary (e.g. NATS_SERVER_BIN=/usr/sbin/nats-server) or unset it to search PATH.',
    );
  }
  const tried = ['nats-server on PATH'];
  const onPath = searchPath('nats-server', env.PATH);
  if (onPath) return { path: onPath, tried };
  for (const candidate of fallbacks) {
    tried.push(candidate);
    const found = executableFile(candidate);
    if (found) return { path: found, tried };
  }
  return { path: undefined, tried };
}

function searchPath(name: string, pathVar: string | undefined): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const dir of (pathVar ?? '').split(delimiter)) {
    // An empty PATH entry means the current directory; a test helper must not pick up a stray local file.
    if (!dir || !isAbsolute(dir)) continue;
    for (const n of names) {
      const found = executableFile(join(dir, n));
      if (found) return found;
    }
  }
  return undefined;
}

function executableFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

function hasPathSeparator(value: string): boolean {
  return value.includes('/') || value.includes('\\');
}
