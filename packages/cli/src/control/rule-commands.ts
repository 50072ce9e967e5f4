import { MeshError, type MeshAdmin, type RuleKind, type RuleOfKind, type RuleStore } from '@natsmesh/core';
import { EXIT } from '../cli-error';
import type { CommandContext } from '../command';
import { printResult } from '../output/cli-output';
import { printWarnings, withAdmin } from './admin-session';
import { ruleTable } from './rule-table';
import { ruleText } from './rule-text';

const STORE_OF: { readonly [K in RuleKind]: (admin: MeshAdmin) => RuleStore<RuleOfKind[K], never[]> } = {
  route: (a) => a.routes as RuleStore<RuleOfKind['route'], never[]>,
  mirror: (a) => a.mirrors as RuleStore<RuleOfKind['mirror'], never[]>,
  fault: (a) => a.faults as RuleStore<RuleOfKind['fault'], never[]>,
  canary: (a) => a.canaries as RuleStore<RuleOfKind['canary'], never[]>,
};

/** The admin's store of one kind of rule. */
export function storeOf<K extends RuleKind>(admin: MeshAdmin, kind: K): RuleStore<RuleOfKind[K], string[]> {
  return STORE_OF[kind](admin) as unknown as RuleStore<RuleOfKind[K], string[]>;
}

/**
 * `natsmesh <kind> set`: writes the rule through the admin (checked first: an invalid one is
 * `INVALID_RULE`, exit 1, nothing written), prints its warnings on stderr and what was set.
 */
export async function writeRule<K extends RuleKind>(ctx: CommandContext, kind: K, rule: RuleOfKind[K]): Promise<number> {
  const write = await withAdmin(ctx, (admin) => storeOf(admin, kind).set(rule));
  printWarnings(ctx.io, ctx.json, write.warnings);
  printResult(ctx.io, ctx.json, { key: write.key, rule, warnings: write.warnings }, () => `Set ${write.key}: ${ruleText(kind, rule)}.`);
  return EXIT.OK;
}

/**
 * `natsmesh <kind> get`: the rules of the kind that `keep` selects, as a table or (`--json`) a list.
 *
 * @throws MeshError `NOT_FOUND` naming `wanted` when it names rules and none is stored.
 */
export async function showRules<K extends RuleKind>(ctx: CommandContext, kind: K, keep: (rule: RuleOfKind[K]) => boolean, wanted?: string): Promise<number> {
  const rules = (await withAdmin(ctx, (admin) => storeOf(admin, kind).list(), { warnings: false })).filter(keep);
  if (rules.length === 0 && wanted !== undefined) throw new MeshError('NOT_FOUND', `No ${kind} rule for ${wanted}: natsmesh ${kind} get lists them all.`);
  printResult(ctx.io, ctx.json, rules, () => (rules.length === 0 ? `No ${kind} rules.` : ruleTable(kind, rules)));
  return EXIT.OK;
}

/**
 * `natsmesh <kind> delete`: deletes the rule stored under the id.
 *
 * @throws MeshError `NOT_FOUND` when there is none.
 */
export async function deleteRule(ctx: CommandContext, kind: RuleKind, key: string, ...id: string[]): Promise<number> {
  const deleted = await withAdmin(ctx, (admin) => storeOf(admin, kind).delete(...id), { warnings: false });
  if (!deleted) throw new MeshError('NOT_FOUND', `There is no ${key} to delete: natsmesh ${kind} get lists the ${kind} rules.`);
  printResult(ctx.io, ctx.json, { deleted: key }, () => `Deleted ${key}.`);
  return EXIT.OK;
}
