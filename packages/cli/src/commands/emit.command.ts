import { Argument } from 'commander';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { printResult } from '../output/cli-output';
import { HEADER_OPTION, parseHeaders, parseJsonArgument } from '../json-argument';

/** `natsmesh emit <subject> [json]`: publish one event. */
export const emitCommand: Command = {
  name: 'emit',
  summary: 'publish an event',
  usage: '<subject> [json] [--header k=v]…',
  help: `Publishes one event with a JSON body and waits until the server has it.\n\nExample:\n  natsmesh emit app.booking.info '{"message":"hello"}'`,
  arguments: [new Argument('<subject>', 'subject of the event, e.g. app.booking.info'), new Argument('[json]', 'event body (default: none)')],
  options: [HEADER_OPTION],
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
