import { MeshError } from '@natsmesh/core';
import { UsageError } from '../cli-error';
import type { CliIo } from './cli-io';
import { terminalSafe } from './terminal-safe';

/** What `--json` prints on stderr for any failure: `{ "error": CliFailure }`. */
export interface CliFailure {
  /** A natsmesh or docs error code, `USAGE` for a usage mistake, `INTERNAL` for anything else. */
  readonly code: string;
  readonly message: string;
  /** The HTTP-like status of a `MeshError`. */
  readonly status?: number;
  /** A `MeshError`'s details, e.g. the field errors of `VALIDATION_FAILED`. */
  readonly details?: unknown;
  /** The command's usage line, for a usage mistake. */
  readonly usage?: string;
}

/**
 * Prints a command's result: `value` as JSON under `--json`, else the text `render` makes, with
 * control characters escaped (the text holds what remote services sent). Every command prints
 * through here, so `--json` output is JSON for all of them.
 */
export function printResult(io: CliIo, json: boolean, value: unknown, render: () => string): void {
  io.out(json ? JSON.stringify(value ?? null, null, 2) : terminalSafe(render()));
}

/** Prints a failure on stderr: one JSON line `{ "error": … }` under `--json`, else `text` with control characters escaped. */
export function printFailure(io: CliIo, json: boolean, failure: CliFailure, text: string): void {
  io.err(json ? JSON.stringify({ error: failure }) : terminalSafe(text));
}

/** The failure of anything a command threw. */
export function failureOf(err: unknown, usage?: string): CliFailure {
  if (err instanceof UsageError) return { code: 'USAGE', message: (err as Error).message, usage };
  if (MeshError.is(err)) return { code: err.code, status: err.status, message: err.message, details: err.details };
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { code: typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'INTERNAL', message };
}
