import { MeshError, type FieldError, type ServiceDescription } from '@natsmesh/core';
import type { ReceivedEvent } from '../subscribers/received-events';

const PAYLOAD_WIDTH = 96;

/** Writes one line to stdout. */
export function line(text = ''): void {
  process.stdout.write(text + '\n');
}

/** A section title, underlined. */
export function heading(title: string): void {
  line();
  line(title);
  line('-'.repeat(title.length));
}

/** Lines `label  value` with the labels padded to one width. */
export function table(rows: readonly (readonly [string, string])[], indent = 2): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) line(`${' '.repeat(indent)}${k.padEnd(width)}  ${v}`);
}

/** The outcome of one request: the reply summarised, or the error with its code and field details. */
export function outcome(result: { ok: true; summary: string } | { ok: false; error: unknown }): void {
  if (result.ok) {
    line(`     ok    ${result.summary}`);
    return;
  }
  const err = MeshError.is(result.error) ? result.error : undefined;
  if (!err) {
    line(`     error ${String(result.error)}`);
    return;
  }
  line(`     error ${err.code} (${err.status}): ${err.message}`);
  if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details)) {
    const fields = err.details as FieldError[];
    table(
      fields.flatMap((f) => Object.entries(f.constraints).map(([rule, message]) => [f.field, `${rule.padEnd(10)}  ${message}`] as const)),
      11,
    );
  } else if (err.details !== undefined) {
    line(`           details ${JSON.stringify(err.details)}`);
  }
}

/** One subscriber's section: its patterns, then each event as `subject  short payload`. */
export function subscriberEvents(name: string, service: ServiceDescription | undefined, events: readonly ReceivedEvent[]): void {
  const patterns = (service?.subscriptions ?? []).map((s) => (s.queue ? `${s.pattern} [queue]` : s.pattern)).join(', ');
  line();
  line(`  ${name}  @On ${patterns}  -> ${events.length} event(s)`);
  const width = Math.max(0, ...events.map((e) => e.subject.length));
  for (const e of events) line(`    ${e.subject.padEnd(width)}  ${short(e.payload, PAYLOAD_WIDTH - width)}`);
}

/** A payload in one short line: its `message` when it has one, else `key=value` pairs; cut to `max` characters. */
export function short(value: unknown, max = PAYLOAD_WIDTH): string {
  let text: string;
  if (value === undefined) text = '(no body)';
  else if (value === null || typeof value !== 'object' || Array.isArray(value)) text = JSON.stringify(value);
  else if (typeof (value as { message?: unknown }).message === 'string') text = (value as { message: string }).message;
  else text = Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'string' && v !== '' && !/\s/.test(v) ? v : JSON.stringify(v)}`).join(' ');
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 3))}...`;
}
