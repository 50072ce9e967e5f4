import { ERROR_CODE_HEADER, ERROR_HEADER, type ServiceDescription } from '@natsmesh/core';
import { eventFlow, type EventFlow } from '../model/event-flow';
import { compare, normalizeDescriptions } from '../model/normalize-descriptions';
import { pageNames } from '../model/page-names';
import { cell, codeSpan, schemaMarkdown } from './markdown-schema';
import { countOf } from '../model/count-of';
import { sloSummary } from '../model/slo-summary';

/** Options of {@link toMarkdown}. */
export interface MarkdownOptions {
  /** Heading of the index page; default `Services`. */
  readonly title?: string;
}

/**
 * Markdown pages for a set of services: `index.md` (the catalog and the event map) and one
 * `<service>.md` per service with its endpoints, subscriptions and events, each DTO as a field
 * table with an example payload. Keys are file names, sorted.
 *
 * @example
 * const pages = toMarkdown(app.describe()); // { 'hotel.booking.md': '# hotel.booking…', 'index.md': '…' }
 */
export function toMarkdown(descriptions: readonly ServiceDescription[], options: MarkdownOptions = {}): Record<string, string> {
  const services = normalizeDescriptions(descriptions);
  const pages = pageNames(services);
  const flow = eventFlow(services);
  const files = new Map<string, string>();
  files.set('index.md', indexPage(services, pages, flow, options.title ?? 'Services'));
  for (const s of services) files.set(`${pages.get(s)!}.md`, servicePage(s, flow));
  return Object.fromEntries([...files.keys()].sort(compare).map((k) => [k, files.get(k)!]));
}

function indexPage(services: readonly ServiceDescription[], pages: Map<ServiceDescription, string>, flow: EventFlow, title: string): string {
  const out = [`# ${title}`, '', `${countOf(services.length, 'service')}, generated from their natsmesh metadata.`, ''];
  out.push('| Service | Version | Endpoints | Subscriptions | Emits | Description |', '| --- | --- | --- | --- | --- | --- |');
  for (const s of services) {
    out.push(
      `| [${cell(s.name)}](${encodeURI(pages.get(s)!)}.md) | ${cell(s.version)} | ${s.endpoints.length} | ${s.subscriptions.length} | ${s.emits.length} | ${cell(s.description ?? '')} |`,
    );
  }
  out.push('');
  if (flow.events.length > 0 || flow.patterns.length > 0) {
    out.push('## Events', '', 'Who publishes each declared event subject, and which subscriptions receive it (NATS wildcard matching).', '');
    out.push('| Subject | Published by | Received by |', '| --- | --- | --- |');
    for (const e of flow.events) {
      const receivers = e.receivers.map((r) => `${r.service} (\`${r.pattern}\`${r.queue ? ', queue' : ''})`).join(', ');
      out.push(`| \`${cell(e.subject)}\` | ${cell(e.publishers.join(', '))} | ${cell(receivers || '—')} |`);
    }
    const unmatched = flow.patterns.filter((p) => p.subjects.length === 0);
    for (const p of unmatched) {
      out.push(`| \`${cell(p.pattern)}\` (pattern, no declared publisher) | — | ${cell(p.subscribers.map((r) => r.service).join(', '))} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function servicePage(s: ServiceDescription, flow: EventFlow): string {
  const out = [`# ${s.name}`, '', '[All services](index.md)', ''];
  if (s.description) out.push(s.description, '');
  out.push('| | |', '| --- | --- |', `| Version | ${cell(s.version)} |`, `| Queue group | \`${cell(s.queue)}\` |`);
  if (s.calls.length > 0) out.push(`| Calls | ${s.calls.map((c) => `\`${cell(c)}\``).join(', ')} |`);
  for (const [k, v] of Object.entries(s.metadata)) out.push(`| ${cell(k)} | ${cell(v)} |`);
  out.push('');

  if (s.endpoints.length > 0) {
    out.push('## Endpoints', '', `Request/reply, load-balanced over the service's instances. A failed request is answered with the headers \`${ERROR_HEADER}\` (message) and \`${ERROR_CODE_HEADER}\` (status) and a \`{ code, message, details }\` JSON body.`, '');
    for (const e of s.endpoints) {
      out.push(`### ${e.name}`, '');
      if (e.description) out.push(e.description, '');
      out.push(`- Subject: \`${e.subject}\``, `- Queue group: \`${e.queue}\``);
      if (e.timeout !== undefined) out.push(`- Timeout: ${e.timeout} ms`);
      if (e.middleware) out.push(middlewareLine(e.middleware));
      if (e.slo) out.push(`- SLO: ${sloSummary(e.slo, codeSpan)}`);
      out.push(`- Input: ${e.input ? `\`${e.input}\`` : 'any JSON'}`, `- Output: ${e.output ? `\`${e.output}\`` : 'JSON'}`, '');
      if (e.inputSchema) out.push(...schemaMarkdown('Input', e.input ?? 'input', e.inputSchema));
      if (e.outputSchema) out.push(...schemaMarkdown('Output', e.output ?? 'output', e.outputSchema));
    }
  }

  if (s.subscriptions.length > 0) {
    out.push('## Subscriptions', '');
    for (const sub of s.subscriptions) {
      out.push(`### ${sub.pattern} → ${sub.method}`, '');
      if (sub.description) out.push(sub.description, '');
      out.push(`- Pattern: \`${sub.pattern}\``, `- Delivery: ${sub.queue ? `one instance per event (queue group \`${sub.queue}\`)` : 'every instance (fan-out)'}`);
      if (sub.durable) out.push(`- Durable consumer: \`${sub.durable}\``);
      if (sub.middleware) out.push(middlewareLine(sub.middleware));
      const subjects = flow.patterns.find((p) => p.pattern === sub.pattern)?.subjects ?? [];
      out.push(`- Receives: ${subjects.length > 0 ? subjects.map((x) => `\`${x}\``).join(', ') : 'no declared event'}`, '');
      if (sub.inputSchema) out.push(...schemaMarkdown('Payload', sub.input ?? 'payload', sub.inputSchema));
    }
  }

  if (s.emits.length > 0) {
    out.push('## Emits', '');
    for (const e of s.emits) {
      out.push(`### ${e.subject}`, '');
      if (e.description) out.push(e.description, '');
      const receivers = flow.events.find((x) => x.subject === e.subject)?.receivers ?? [];
      out.push(`- Received by: ${receivers.length > 0 ? receivers.map((r) => `${r.service} (\`${r.pattern}\`)`).join(', ') : 'no subscriber declared'}`, '');
      if (e.payloadSchema) out.push(...schemaMarkdown('Payload', e.payload ?? 'payload', e.payloadSchema));
    }
  }
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** The middleware around a handler, outermost first; names come from the services, so each is a code span. */
function middlewareLine(names: readonly string[]): string {
  return `- Middleware: ${names.map(codeSpan).join(' → ')}`;
}
