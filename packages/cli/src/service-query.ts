import { EXIT, UsageError } from './cli-error';
import type { CommandContext } from './command';
import { printFailure, printResult } from './output/cli-output';
import type { MeshClient } from '@natsmesh/core';

/**
 * The shared shape of `info` and `stats`: takes the service argument, fetches the replies of
 * its instances, prints them as JSON or through `render`, and fails when none answered.
 */
export async function runServiceQuery<T>(
  ctx: CommandContext,
  command: string,
  fetch: (client: MeshClient, service: string) => Promise<T[]>,
  render: (service: string, replies: T[]) => string,
): Promise<number> {
  const [service] = ctx.args;
  if (!service) throw new UsageError(`${command} needs a service name, e.g. natsmesh ${command} hotel.booking`);
  const replies = await fetch(await ctx.connect(), service);
  if (replies.length === 0) {
    const message = `No instance of "${service}" answered: check the name with natsmesh ls.`;
    printFailure(ctx.io, ctx.json, { code: 'NOT_FOUND', message }, message);
    return EXIT.FAILED;
  }
  printResult(ctx.io, ctx.json, replies, () => render(service, replies));
  return EXIT.OK;
}
