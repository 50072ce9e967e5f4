import { Option } from 'commander';
import { knownVersions, ruleWarnings, type FaultRule, type MeshAdmin } from '@natsmesh/core';
import type { Command } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { printResult } from '../output/cli-output';
import { printWarnings, withAdmin } from '../control/admin-session';
import { idOf, keyedRules, planApply, rulesToWrite, type ApplyPlan } from '../control/apply-plan';
import { readMeshFile } from '../control/mesh-yaml';
import { storeOf } from '../control/rule-commands';

/** `natsmesh apply -f mesh.yaml`: makes the rules in force those of a declarative file. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'apply a mesh file: make the rules in force those of mesh.yaml',
  usage: '-f <mesh.yaml> [--prune] [--dry-run]',
  help: [
    'Reads a mesh file (apiVersion: natsmesh/v1, kind: Mesh, lists routes, mirrors, faults, canaries;',
    'natsmesh get prints one) and checks every rule first: one invalid rule and nothing is written',
    '(exit 1, each bad field named with its line). Then it writes the rules that differ from those',
    'in force (applying what natsmesh get printed changes nothing) and, with --prune, deletes the',
    'rules the file does not hold. --dry-run prints what would change and writes nothing.',
    '',
    'Examples:',
    '  natsmesh get > mesh.yaml && natsmesh apply -f mesh.yaml',
    '  natsmesh apply -f mesh.yaml --prune --dry-run',
    '  cat mesh.yaml | natsmesh apply -f -',
  ].join('\n'),
  options: [
    new Option('-f, --file <mesh.yaml>', 'the mesh file (- for stdin)'),
    new Option('--prune', 'delete the rules in force that the file does not hold'),
    new Option('--dry-run', 'print what would change; write nothing'),
  ],
  async run(ctx) {
    const file = ctx.values.file as string | undefined;
    if (file === undefined) throw new UsageError('apply needs -f <mesh.yaml>, the mesh file to apply (natsmesh get prints one).');
    const now = Date.now();
    const mesh = readMeshFile(file, now);
    const dryRun = ctx.values.dryRun === true;
    const { plan, warnings } = await withAdmin(
      ctx,
      async (admin) => {
        const plan = planApply(await admin.rules(), mesh.rules, ctx.values.prune === true, now);
        const known = await knownVersions((await ctx.connect({ control: false })).connection);
        const warnings = [
          ...plan.expired.map((r) => `${r.at} (fault "${(r.rule as FaultRule).name}") ended at ${new Date((r.rule as FaultRule).expiresAt).toISOString()}: not applied`),
          ...keyedRules(mesh.rules).flatMap((r) => ruleWarnings(r.kind, r.rule as never, known)),
        ];
        if (!dryRun) await write(admin, plan);
        return { plan, warnings };
      },
      { warnings: false },
    );
    printWarnings(ctx.io, ctx.json, warnings);
    const keys = (list: readonly { key: string }[]) => list.map((r) => r.key);
    const result = { file, dryRun, created: keys(plan.created), changed: keys(plan.changed), unchanged: plan.unchanged, deleted: keys(plan.deleted), warnings };
    printResult(ctx.io, ctx.json, result, () => applyText(result, dryRun));
    return EXIT.OK;
  },
};

async function write(admin: MeshAdmin, plan: ApplyPlan): Promise<void> {
  // The admin checks the rules again before it writes any; deletions come last, as in admin.apply.
  await admin.apply(rulesToWrite(plan));
  for (const r of plan.deleted) await storeOf(admin, r.kind).delete(...idOf(r));
}

function applyText(result: { created: string[]; changed: string[]; unchanged: readonly string[]; deleted: string[] }, dryRun: boolean): string {
  const lines = [
    ...result.created.map((k) => `${k} created`),
    ...result.changed.map((k) => `${k} changed`),
    ...result.unchanged.map((k) => `${k} unchanged`),
    ...result.deleted.map((k) => `${k} deleted`),
  ].map((l) => (dryRun ? `${l} (dry run)` : l));
  return lines.length === 0 ? 'No rules in the file and none to prune.' : lines.join('\n');
}
