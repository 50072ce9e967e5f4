import type { ServiceDescription } from '@natsmesh/core';
import { toAsyncApi } from './asyncapi/to-asyncapi';
import { DocsError } from './errors';
import { toHtml } from './html/to-html';
import { toJson } from './json/to-json';
import { toMarkdown } from './markdown/to-markdown';
import { compare } from './model/normalize-descriptions';

/** A docs format: `asyncapi` (asyncapi.json), `html` (index.html), `json` (services.json), `markdown` (index.md + one page per service). */
export type DocsFormat = 'asyncapi' | 'html' | 'json' | 'markdown';

/** Every format, in the order `natsmesh docs` lists them. */
export const DOCS_FORMATS: readonly DocsFormat[] = ['asyncapi', 'html', 'json', 'markdown'];

/** Options of {@link renderDocs}. */
export interface RenderDocsOptions {
  /** Formats to produce; default all of {@link DOCS_FORMATS}. */
  readonly formats?: readonly DocsFormat[];
  /** Title of the AsyncAPI document, the HTML page and the Markdown index. */
  readonly title?: string;
  /** `info.version` of the AsyncAPI document. */
  readonly version?: string;
  /** NATS server URL written into the AsyncAPI `servers`. */
  readonly server?: string;
}

/**
 * Every docs file of the chosen formats, as relative path → content, sorted by path. The same
 * descriptions give the same bytes, whether they were read from code or received over NATS.
 *
 * @throws DocsError `INVALID_OPTIONS` for an unknown format.
 */
export function renderDocs(descriptions: readonly ServiceDescription[], options: RenderDocsOptions = {}): Record<string, string> {
  const formats = checkFormats(options.formats ?? DOCS_FORMATS);
  const files = new Map<string, string>();
  if (formats.has('asyncapi')) {
    const doc = toAsyncApi(descriptions, { title: options.title, version: options.version, server: options.server });
    files.set('asyncapi.json', `${JSON.stringify(doc, null, 2)}\n`);
  }
  if (formats.has('html')) files.set('index.html', toHtml(descriptions, { title: options.title }));
  if (formats.has('json')) files.set('services.json', toJson(descriptions));
  if (formats.has('markdown')) for (const [name, text] of Object.entries(toMarkdown(descriptions, { title: options.title }))) files.set(name, text);
  return Object.fromEntries([...files.keys()].sort(compare).map((k) => [k, files.get(k)!]));
}

function checkFormats(formats: readonly string[]): Set<DocsFormat> {
  if (formats.length === 0) throw new DocsError('INVALID_OPTIONS', `No docs format chosen: pick one or more of ${DOCS_FORMATS.join(', ')}.`);
  for (const f of formats) {
    if (!(DOCS_FORMATS as readonly string[]).includes(f)) {
      throw new DocsError('INVALID_OPTIONS', `Unknown docs format "${f}": use one of ${DOCS_FORMATS.join(', ')}.`);
    }
  }
  return new Set(formats as DocsFormat[]);
}
