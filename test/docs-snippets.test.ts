import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * Every ```ts block of docs/*.md and README.md compiles, each as a module of its own, under
 * the tsconfig that docs/getting-started.md tells a new project to use. A block that is a
 * deliberate fragment (a method without its class, a name defined in another block) is
 * marked with FRAGMENT on the line before it; a marked block must indeed not compile alone,
 * so the marker cannot hide a block that would.
 */
const FRAGMENT = '<!-- fragment: not compiled on its own -->';

const root = join(__dirname, '..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Snippet {
  readonly where: string;
  readonly file: string;
  readonly code: string;
  readonly fragment: boolean;
}

function snippetsOf(page: string): Snippet[] {
  const text = readFileSync(join(root, page), 'utf8');
  const out: Snippet[] = [];
  for (const m of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const before = text.slice(0, m.index).trimEnd();
    const line = before.split('\n').length + 1;
    out.push({
      where: `${page}:${line}`,
      // Virtual files beside the docs, so imports resolve through the repo's node_modules.
      file: join(root, 'docs', '.snippets', `${page.replace(/\W/g, '-')}-${line}.ts`),
      code: `${m[1]}\nexport {};\n`,
      fragment: before.endsWith(FRAGMENT),
    });
  }
  return out;
}

/** The compilerOptions of the tsconfig.json shown in docs/getting-started.md. */
function pageTsconfig(): ts.CompilerOptions {
  const text = readFileSync(join(root, 'docs/getting-started.md'), 'utf8');
  const json = /`tsconfig\.json`[^\n]*\n\n```json\n([\s\S]*?)```/.exec(text)?.[1];
  if (json === undefined) throw new Error('docs/getting-started.md shows no tsconfig.json');
  const { options, errors } = ts.convertCompilerOptionsFromJson(JSON.parse(json).compilerOptions, root);
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]!.messageText, '\n'));
  return { ...options, noEmit: true, outDir: undefined };
}

function compile(snippets: readonly Snippet[]): Map<string, string[]> {
  const options = pageTsconfig();
  const byFile = new Map(snippets.map((s) => [s.file, s]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => byFile.has(f) || fileExists.call(host, f);
  host.readFile = (f) => byFile.get(f)?.code ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const s = byFile.get(f);
    return s ? ts.createSourceFile(f, s.code, lang) : getSourceFile.call(host, f, lang, ...rest);
  };
  const program = ts.createProgram([...byFile.keys()], options, host);
  const errors = new Map<string, string[]>(snippets.map((s) => [s.where, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const s = d.file && byFile.get(d.file.fileName);
    const where = s ? s.where : 'program';
    const at = d.file && d.start !== undefined ? `line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    errors.set(where, [...(errors.get(where) ?? []), `${at}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`]);
  }
  return errors;
}

describe('the TypeScript snippets of the docs', () => {
  const snippets = pages.flatMap(snippetsOf);
  const errors = compile(snippets);

  it('finds the snippets of every page', () => {
    expect(snippets.length).toBeGreaterThan(25);
    expect(errors.get('program') ?? []).toEqual([]);
  });

  it('compiles every block not marked as a fragment, under the getting-started tsconfig', () => {
    const failing = snippets.filter((s) => !s.fragment).map((s) => ({ where: s.where, errors: errors.get(s.where) }));
    expect(failing.filter((f) => f.errors!.length > 0)).toEqual([]);
  });

  it('marks as a fragment only blocks that do not compile on their own', () => {
    const stale = snippets.filter((s) => s.fragment && errors.get(s.where)!.length === 0).map((s) => s.where);
    expect(stale).toEqual([]);
  });
});
