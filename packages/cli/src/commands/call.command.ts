import { Argument } from 'commander';
import { MeshError } from '@natsmesh/core';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { failureOf, printFailure, printResult } from '../output/cli-output';
import { HEADER_OPTION, parseHeaders, parseJsonArgument } from '../json-argument';

/** `natsmesh call <subject> [json]`: one request, its reply or its error. */
export const callCommand: Command = {
  name: 'call',
  summary: 'send a request and print the reply, or the error code and message',
  usage: '<subject> [json] [--timeout ms] [--header k=v]…',
  help: [
    'Sends one request with a JSON body and prints the JSON reply. An error reply prints its code,',
    'status, message and details on stderr and exits 1.',
    '',
    'Examples:',
    `  natsmesh call hotel.booking.save '{"guest":"Ann","room":101,"nights":2}'`,
    '  natsmesh call hotel.rooms.list --timeout 500',
  ].join('\n'),
  arguments: [new Argument('<subject>', 'subject of the endpoint, e.g. hotel.rooms.list'), new Argument('[json]', 'request body (default: none)')],
  options: [HEADER_OPTION],
  async run({ args, values, io, json, connect }) {
    const [subject, body] = args;
    if (!subject) throw new UsageError('call needs a subject, e.g. natsmesh call hotel.rooms.list');
    const data = parseJsonArgument(body);
    const headers = parseHeaders(values.header as string[] | undefined);
    const client = await connect();
    try {
      const reply = await client.request(subject, data, { headers, timeout: values.timeout as number | undefined });
      printResult(io, json, reply, () => (reply === undefined ? '(empty reply)' : JSON.stringify(reply, null, 2)));
      return EXIT.OK;
    } catch (err) {
      if (!MeshError.is(err)) throw err;
      printFailure(io, json, failureOf(err), errorText(err));
      return EXIT.FAILED;
    }
  },
};

/** The code, status and message, then one line per field error or the details. */
function errorText(err: MeshError): string {
  const lines = [`${err.code} (${err.status}): ${err.message}`];
  if (Array.isArray(err.details)) {
    for (const d of err.details as { field?: string; constraints?: Record<string, string> }[]) {
      lines.push(d.field && d.constraints ? `  ${d.field}: ${Object.values(d.constraints).join('; ')}` : `  ${JSON.stringify(d)}`);
    }
  } else if (err.details !== undefined) {
    lines.push(`  ${JSON.stringify(err.details)}`);
  }
  return lines.join('\n');
}
