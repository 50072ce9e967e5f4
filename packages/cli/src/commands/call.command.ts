import { MeshError } from '@natsmesh/core';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { parseHeaders, parseJsonArgument } from '../json-argument';

/** `natsmesh call <subject> [json]`: one request, its reply or its error. */
export const callCommand: Command = {
  name: 'call',
  summary: 'send a request and print the reply, or the error code and message',
  usage: "natsmesh call <subject> [json] [--timeout ms] [--header k=v]…",
  help: [
    'Sends one request with a JSON body and prints the JSON reply. An error reply prints its code,',
    'status, message and details on stderr and exits 1.',
    '',
    'Examples:',
    `  natsmesh call hotel.booking.save '{"guest":"Ann","room":101,"nights":2}'`,
    '  natsmesh call hotel.rooms.list --timeout 500',
  ].join('\n'),
  options: { header: { type: 'string', multiple: true } },
  async run({ args, values, io, connect }) {
    const [subject, body] = args;
    if (!subject) throw new UsageError('call needs a subject, e.g. natsmesh call hotel.rooms.list');
    const data = parseJsonArgument(body);
    const headers = parseHeaders(values.header as string[] | undefined);
    const client = await connect();
    try {
      const reply = await client.request(subject, data, { headers, timeout: timeoutOf(values.timeout) });
      io.out(reply === undefined ? '(empty reply)' : JSON.stringify(reply, null, 2));
      return EXIT.OK;
    } catch (err) {
      if (!MeshError.is(err)) throw err;
      io.err(`${err.code} (${err.status}): ${err.message}`);
      if (Array.isArray(err.details)) {
        for (const d of err.details as { field?: string; constraints?: Record<string, string> }[]) {
          if (d.field && d.constraints) io.err(`  ${d.field}: ${Object.values(d.constraints).join('; ')}`);
          else io.err(`  ${JSON.stringify(d)}`);
        }
      } else if (err.details !== undefined) {
        io.err(`  ${JSON.stringify(err.details)}`);
      }
      return EXIT.FAILED;
    }
  },
};

function timeoutOf(value: unknown): number | undefined {
  return typeof value === 'string' ? Number(value) : undefined;
}
