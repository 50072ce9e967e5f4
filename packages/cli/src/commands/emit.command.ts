import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { printResult } from '../output/cli-output';
import { parseHeaders, parseJsonArgument } from '../json-argument';

/** `natsmesh emit <subject> [json]`: publish one event. */
export const emitCommand: Command = {
  name: 'emit',
  summary: 'publish an event',
  usage: 'natsmesh emit <subject> [json] [--header k=v]…',
  help: `Publishes one event with a JSON body and waits until the server has it.\n\nExample:\n  natsmesh emit app.booking.info '{"message":"hello"}'`,
  options: { header: { type: 'string', multiple: true } },
  maxArgs: 2,
  async run({ args, values, io, json, connect }) {
    const [subject, body] = args;
    if (!subject) throw new UsageError('emit needs a subject, e.g. natsmesh emit app.booking.info');
    const data = parseJsonArgument(body);
    const client = await connect();
    client.emit(subject, data, { headers: parseHeaders(values.header as string[] | undefined) });
    await client.flush();
    printResult(io, json, { emitted: subject }, () => `emitted on ${subject}`);
    return EXIT.OK;
  },
};
