import { createLogger, type Logger } from '@natsmesh/core';

/** A logger that keeps lines in memory, so tests stay quiet and can assert on what was logged. */
export function quietLogger(lines: Record<string, unknown>[] = []): Logger {
  return createLogger({ level: 'trace', sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
}
