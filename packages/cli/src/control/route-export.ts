import { writeFileSync } from 'node:fs';
import { MeshError, renderSubjectMappings } from '@natsmesh/core';
import { EXIT } from '../cli-error';
import type { CommandContext } from '../command';
import { printResult } from '../output/cli-output';
import { readServiceSource } from '../service-source';
import { withAdmin } from './admin-session';

/**
 * `natsmesh route export`: the weights of the routes in force (from the rules bucket) as a
 * nats-server `mappings { … }` block on stdout or in `--out <file>`; what the block cannot carry
 * (match rules, services not described, versions no instance runs, rounded weights) on stderr as
 * notes, or in the `--json` result.
 *
 * @throws MeshError `NOT_FOUND` when no route is in force (or none for `--service`), or when no
 * route with weights could be mapped (the notes say why); UsageError without a source of descriptions.
 */
export async function exportRoutes(ctx: CommandContext): Promise<number> {
  const service = ctx.values.service as string | undefined;
  // The admin's control-off connection comes first, so --live gathers on it too.
  const routes = (await withAdmin(ctx, (admin) => admin.routes.list(), { warnings: false })).filter((r) => service === undefined || r.service === service);
  if (routes.length === 0) {
    throw new MeshError('NOT_FOUND', service === undefined ? 'No route rule is in force: natsmesh route set writes one.' : `No route rule for ${service}: natsmesh route get lists them all.`);
  }
  const rendered = renderSubjectMappings(routes, await readServiceSource(ctx, 'route export'));
  const out = ctx.values.out as string | undefined;
  if (!ctx.json) for (const note of rendered.notes) ctx.io.err(`Note: ${note}`);
  const subjects = Object.keys(rendered.mappings);
  if (subjects.length === 0) {
    const why = ctx.json ? ` ${rendered.notes.join(' ')}` : ' (see the notes above)';
    throw new MeshError('NOT_FOUND', `No route in force could be written as mappings${why}: a mapping needs weights and a described service.`);
  }
  if (out !== undefined) writeFileSync(out, rendered.config);
  const result = { mappings: rendered.mappings, notes: rendered.notes, ...(out === undefined ? { config: rendered.config } : { out }) };
  printResult(ctx.io, ctx.json, result, () =>
    out === undefined ? rendered.config.trimEnd() : `Wrote the mappings of ${subjects.length} subject(s) to ${out}: include it in the nats-server config (top level, or the services' account).`,
  );
  return EXIT.OK;
}
