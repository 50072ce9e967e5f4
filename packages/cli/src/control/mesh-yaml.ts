import { readFileSync } from 'node:fs';
import { Document, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { MeshError, type FieldError, type MeshRules } from '@natsmesh/core';
import { UsageError } from '../cli-error';
import { meshFileOf, rulesOfMeshFile } from './mesh-file';

/** A field error of a mesh file, with the line of the file it is on. */
export interface FileFieldError extends FieldError {
  readonly line?: number;
}

/** A mesh file read: its rules, and how to refuse fields of it. */
export interface MeshFile {
  readonly rules: MeshRules;
  /** The `INVALID_RULE` error for these fields, naming the file and each field's line. */
  invalid(problems: readonly FieldError[]): MeshError<FileFieldError[]>;
}

/**
 * Reads a mesh file (`-` for stdin) and the rules it holds, checked (see `rulesOfMeshFile`).
 *
 * @throws UsageError when the file cannot be read; MeshError `INVALID_RULE` when it is not YAML or
 * holds an invalid rule, naming the file, each field and its line, with a {@link FileFieldError} per field.
 */
export function readMeshFile(file: string, now: number): MeshFile {
  const text = readText(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new MeshError('INVALID_RULE', `${file} is not a YAML mesh file: ${doc.errors[0].message.split('\n')[0]}`, [{ field: '', constraints: { yaml: doc.errors[0].message } }]);
  }
  const invalid = (fields: readonly FieldError[]) => {
    const problems = fields.map((p) => ({ ...p, line: lineOf(doc, lines, p.field) }));
    const text = problems.map((p) => `  ${p.line === undefined ? '' : `line ${p.line}: `}${Object.values(p.constraints).join('; ')}`);
    return new MeshError<FileFieldError[]>('INVALID_RULE', `Invalid mesh file ${file}, nothing applied:\n${text.join('\n')}`, problems);
  };
  try {
    return { rules: rulesOfMeshFile(doc.toJS(), now), invalid };
  } catch (err) {
    throw MeshError.is(err) && err.code === 'INVALID_RULE' ? invalid(err.details as FieldError[]) : err;
  }
}

/** The rules as a mesh file in YAML (what `natsmesh get` prints, and `apply -f` reads back). */
export function meshYaml(rules: MeshRules): string {
  const doc = new Document(meshFileOf(rules));
  // Small leaves on one line, as a person writes them: steps: [5, 25, 50, 100], delay: { ms: 200, percent: 50 }.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FLOW_FIELDS.has(String(pair.key.value)) && isCollection(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString();
}

const FLOW_FIELDS = new Set(['steps', 'delay', 'abort', 'criteria', 'headers']);

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`-f ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): name a mesh file, such as one natsmesh get > mesh.yaml wrote.`);
  }
}

// The line of the deepest node of the document on the field's path (`routes.1.weights`).
function lineOf(doc: Document, lines: LineCounter, field: string): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const part of field === '' ? [] : field.split('.')) {
    const next = isSeq(node) ? node.items[Number(part)] : isMap(node) ? node.items.find((pair) => String((pair.key as { value?: unknown })?.value) === part) : undefined;
    if (next === undefined) break;
    const pair = isMap(node) ? (next as { key: { range?: number[] }; value: unknown }) : undefined;
    const at = pair ? pair.key : (next as { range?: number[] });
    if (at?.range) line = lines.linePos(at.range[0]).line;
    node = pair ? pair.value : next;
  }
  return line;
}
