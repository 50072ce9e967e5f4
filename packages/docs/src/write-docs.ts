import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ServiceDescription } from '@natsmesh/core';
import { DocsError, getDocsErrorFromUnknown } from './errors';
import { renderDocs, type RenderDocsOptions } from './render-docs';

/** Options of {@link writeDocs}. */
export interface WriteDocsOptions extends RenderDocsOptions {
  /** The services to document: `app.describe()`, {@link loadDescriptions}, or descriptions from discovery. */
  readonly descriptions: readonly ServiceDescription[];
  /** Folder to write into (created if missing); relative paths resolve against `cwd`. */
  readonly outDir: string;
  /** Default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * Writes the docs of the chosen formats into `outDir` and returns the absolute paths written,
 * sorted. Files hold no timestamp: the same services give byte-identical files.
 *
 * @example
 * await writeDocs({ descriptions: app.describe(), outDir: 'docs-out', formats: ['asyncapi', 'html'] });
 * @throws DocsError `INVALID_OPTIONS` (no outDir, unknown format), `WRITE_FAILED`.
 */
export async function writeDocs(options: WriteDocsOptions): Promise<string[]> {
  if (typeof options.outDir !== 'string' || options.outDir.length === 0) {
    throw new DocsError('INVALID_OPTIONS', 'writeDocs needs outDir: the folder to write the docs into.');
  }
  const files = renderDocs(options.descriptions, options);
  const outDir = resolve(options.cwd ?? process.cwd(), options.outDir);
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(outDir, name);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, 'utf8');
    } catch (err) {
      throw getDocsErrorFromUnknown('WRITE_FAILED', `writeDocs could not write ${path}; check the folder's permissions`, err);
    }
    written.push(path);
  }
  return written;
}
