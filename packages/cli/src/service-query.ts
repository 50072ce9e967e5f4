import { EXIT, UsageError } from './cli-error';
import type { CommandContext } from './command';
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
  if (ctx.values.json) {
    ctx.io.out(JSON.stringify(replies, null, 2));
  } else if (replies.length > 0) {
    ctx.io.out(render(service, replies));
  } else {
    ctx.io.err(`No instance of "${service}" answered: check the name with natsmesh ls.`);
  }
  return replies.length === 0 ? EXIT.FAILED : EXIT.OK;
}
