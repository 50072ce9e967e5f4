import { DISCOVER_SUBJECT, gather, MeshError, type InstanceInfo, type ServiceDescription } from '@natsmesh/core';
import { loadDescriptions } from '@natsmesh/docs';
import { Option } from 'commander';
import type { CommandContext } from './command';
import { UsageError } from './cli-error';
import { repeatableOption } from './repeatable-option';

/** The options that say where a command reads the service model: compiled code or the running mesh. */
export const SOURCE_OPTIONS: readonly Option[] = [
  repeatableOption('--scan <glob>', 'import the compiled files the glob matches, e.g. dist/**/*.service.js (repeatable)'),
  repeatableOption('--module <file>', 'import one compiled file (repeatable)'),
  new Option('--live', 'ask the running mesh instead, through discovery'),
];

/** How {@link SOURCE_OPTIONS} read in a usage line. */
export const SOURCE_USAGE = '(--scan <glob> | --module <file> | --live)';

/**
 * The service descriptions a command works from: `--scan`/`--module` import compiled files and
 * connect to nothing; `--live` asks every natsmesh instance on the mesh through discovery. Both give
 * the same model for the same services (the docs generators normalise it).
 *
 * @throws UsageError without a source or with both; MeshError `NO_RESPONDERS` when `--live` finds
 * no instance; DocsError `LOAD_FAILED` / `NO_SERVICES` from the static load.
 */
export async function readServiceSource(ctx: CommandContext, command: string): Promise<ServiceDescription[]> {
  const scan = ctx.values.scan as string[] | undefined;
  const modules = ctx.values.module as string[] | undefined;
  const live = ctx.values.live === true;
  if (live && Boolean(scan || modules)) throw new UsageError(`${command} takes either --scan/--module (static) or --live, not both.`);
  if (!live && !(scan || modules)) {
    throw new UsageError(`${command} needs a source: --scan "dist/**/*.service.js" or --module <file> (static), or --live (the running mesh).`);
  }
  if (!live) return loadDescriptions({ scan, modules });
  const client = await ctx.connect();
  const instances = await gather<InstanceInfo>(client.connection, DISCOVER_SUBJECT, { maxWait: 2000, quiet: 200 });
  const descriptions = instances.flatMap((i) => (Array.isArray(i?.services) ? i.services : []));
  if (descriptions.length === 0) throw new MeshError('NO_RESPONDERS', 'No natsmesh instance answered on the mesh: start one, or check --server.');
  return descriptions;
}
