import type { JsonSchema } from '@natsmesh/core';
import { exampleFromSchema } from '../schema/example-from-schema';
import { schemaRows } from '../schema/schema-rows';

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Text as one Markdown code span: the fence is one backtick longer than any run inside, line
 * breaks become spaces, so whatever the text holds it renders as literal code.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const fence = '`'.repeat(Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A DTO schema as Markdown: its description, a field table and an example payload. */
export function schemaMarkdown(label: string, name: string, schema: JsonSchema): string[] {
  const out = [`**${label}: \`${name}\`**${schema.description ? ` — ${schema.description}` : ''}`, ''];
  const rows = schemaRows(schema);
  if (rows.length > 0) {
    out.push('| Field | Type | Required | Constraints | Description |', '| --- | --- | --- | --- | --- |');
    for (const r of rows) {
      out.push(
        `| \`${cell(r.path)}\` | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.constraints.join(', '))} | ${cell(r.description ?? '')} |`,
      );
    }
    out.push('');
  }
  out.push('Example:', '', '```json', JSON.stringify(exampleFromSchema(schema), null, 2), '```', '');
  return out;
}
