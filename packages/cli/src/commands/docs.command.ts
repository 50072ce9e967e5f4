import { relative } from 'node:path';
import { Option } from 'commander';
import { DOCS_FORMATS, DocsError, writeDocs, type DocsFormat } from '@natsmesh/docs';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { failureOf, printFailure, printResult } from '../output/cli-output';
import { repeatableOption } from '../repeatable-option';
import { readServiceSource, SOURCE_OPTIONS, SOURCE_USAGE } from '../service-source';

/** `natsmesh docs`: AsyncAPI, Markdown, HTML and JSON docs, from compiled code or from the live mesh. */
export const docsCommand: Command = {
  name: 'docs',
  summary: 'generate AsyncAPI, Markdown, HTML and JSON docs from code or from the live mesh',
  usage: `${SOURCE_USAGE} [--format <f>]… [--out <dir>] [--title <text>]`,
  help: [
    'Static mode imports compiled files and connects to nothing; --live asks the running mesh',
    `through discovery. Both give the same files for the same services. Formats: ${DOCS_FORMATS.join(', ')} (default all).`,
    '',
    'Examples:',
    "  natsmesh docs --scan 'dist/**/*.service.js' --out docs-out",
    '  natsmesh docs --live --format asyncapi --format html --out docs-out',
  ].join('\n'),
  options: [
    ...SOURCE_OPTIONS,
    repeatableOption('--format <f>', `one of ${DOCS_FORMATS.join(', ')} (repeatable; default all)`),
    new Option('--out <dir>', 'directory to write to (default docs-out)'),
    new Option('--title <text>', 'title of the docs (default the services\' names)'),
  ],
  async run(ctx) {
    const { values, io, json } = ctx;
    const formats = (values.format as string[] | undefined) ?? [...DOCS_FORMATS];
    const unknown = formats.filter((f) => !DOCS_FORMATS.includes(f as DocsFormat));
    if (unknown.length > 0) throw new UsageError(`Unknown format ${unknown.join(', ')}: use ${DOCS_FORMATS.join(', ')}.`);

    try {
      const descriptions = await readServiceSource(ctx, 'docs');
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
