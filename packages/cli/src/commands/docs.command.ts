import { relative } from 'node:path';
import { DISCOVER_SUBJECT, gather, type InstanceInfo, type ServiceDescription } from '@natsmesh/core';
import { DOCS_FORMATS, DocsError, loadDescriptions, writeDocs, type DocsFormat } from '@natsmesh/docs';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { failureOf, printFailure, printResult } from '../output/cli-output';

/** `natsmesh docs`: AsyncAPI, Markdown, HTML and JSON docs, from compiled code or from the live mesh. */
export const docsCommand: Command = {
  name: 'docs',
  summary: 'generate AsyncAPI, Markdown, HTML and JSON docs from code or from the live mesh',
  usage: 'natsmesh docs (--scan <glob> | --module <file> | --live) [--format <f>]… [--out <dir>] [--title <text>]',
  help: [
    'Static mode imports compiled files and connects to nothing; --live asks the running mesh',
    `through discovery. Both give the same files for the same services. Formats: ${DOCS_FORMATS.join(', ')} (default all).`,
    '',
    'Examples:',
    "  natsmesh docs --scan 'dist/**/*.service.js' --out docs-out",
    '  natsmesh docs --live --format asyncapi --format html --out docs-out',
  ].join('\n'),
  options: {
    scan: { type: 'string', multiple: true },
    module: { type: 'string', multiple: true },
    live: { type: 'boolean' },
    format: { type: 'string', multiple: true },
    out: { type: 'string' },
    title: { type: 'string' },
  },
  maxArgs: 0,
  async run({ values, io, json, connect }) {
    const scan = values.scan as string[] | undefined;
    const modules = values.module as string[] | undefined;
    const live = values.live === true;
    if (live && Boolean(scan || modules)) throw new UsageError('docs takes either --scan/--module (static) or --live, not both.');
    if (!live && !(scan || modules)) throw new UsageError('docs needs a source: --scan "dist/**/*.service.js" or --module <file> (static), or --live (the running mesh).');
    const formats = (values.format as string[] | undefined) ?? [...DOCS_FORMATS];
    const unknown = formats.filter((f) => !DOCS_FORMATS.includes(f as DocsFormat));
    if (unknown.length > 0) throw new UsageError(`Unknown format ${unknown.join(', ')}: use ${DOCS_FORMATS.join(', ')}.`);

    let descriptions: ServiceDescription[];
    try {
      if (live) {
        const client = await connect();
        const instances = await gather<InstanceInfo>(client.connection, DISCOVER_SUBJECT, { maxWait: 2000, quiet: 200 });
        descriptions = instances.flatMap((i) => (Array.isArray(i?.services) ? i.services : []));
        if (descriptions.length === 0) {
          const message = 'No natsmesh instance answered on the mesh: start one, or check --server.';
          printFailure(io, json, { code: 'NO_RESPONDERS', message }, message);
          return EXIT.FAILED;
        }
      } else {
        descriptions = await loadDescriptions({ scan, modules });
      }
      const out = typeof values.out === 'string' ? values.out : 'docs-out';
      const files = await writeDocs({
        descriptions,
        outDir: out,
        formats: formats as DocsFormat[],
        title: typeof values.title === 'string' ? values.title : undefined,
      });
      const services = new Set(descriptions.map((d) => d.name)).size;
      const paths = files.map((f) => relative(process.cwd(), f));
      printResult(io, json, { services, files: paths }, () => [`Documented ${services} service(s) in ${files.length} file(s):`, ...paths.map((p) => `  ${p}`)].join('\n'));
      return EXIT.OK;
    } catch (err) {
      if (!(err instanceof DocsError)) throw err;
      printFailure(io, json, failureOf(err), `${err.code}: ${err.message}`);
      return EXIT.FAILED;
    }
  },
};
