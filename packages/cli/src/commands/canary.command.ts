import { Argument, Option } from 'commander';
import { MeshError, type CanaryCriteria, type CanaryRule } from '@natsmesh/core';
import type { Command, CommandContext } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { printResult } from '../output/cli-output';
import { printWarnings, withAdmin } from '../control/admin-session';
import { durationOf, numberOf } from '../control/option-values';
import { writeRule } from '../control/rule-commands';

const SERVICE = new Argument('<service>', 'the service, e.g. hotel.booking');
const DEFAULT_STEPS = '5,25,50,100';

/** `natsmesh canary start|abort`: automated rollouts from one version to another. */
export const canaryCommand: Command = {
  name: 'canary',
  summary: 'automated canary rollouts: shift traffic to a new version step by step',
  usage: '<command>',
  help: [
    'A canary rollout moves a service from one version to another in steps of route weight,',
    'judging each step on live per-version figures (error ratio, p99 against the old version,',
    'a minimum request count); it advances, pauses, or rolls back to the old version on a breach.',
    'Blue/green is the one-step case: --steps 100.',
    '',
    'Examples:',
    '  natsmesh canary start hotel.booking --from 1.0.0 --to 2.0.0 --interval 1m --max-error-ratio 0.01',
    '  natsmesh canary abort hotel.booking',
  ].join('\n'),
  subcommands: [
    {
      name: 'start',
      summary: 'start a rollout of a service from one version to another',
      usage: '<service> --from <v> --to <v> [--steps 5,25,50,100] --interval <dur> [--max-error-ratio n] [--max-p99-ratio n] [--min-requests n]',
      help: [
        'Writes the canary rule of the service (replacing one in force), which the canary controller',
        'follows. --steps are the percentages of requests sent to --to, increasing and ending at 100',
        `(default ${DEFAULT_STEPS}); each step runs for --interval before it is judged.`,
        '',
        'Example:',
        '  natsmesh canary start hotel.booking --from 1.0.0 --to 2.0.0 --steps 10,50,100 --interval 30s --max-error-ratio 0.01 --max-p99-ratio 1.5 --min-requests 100',
      ].join('\n'),
      arguments: [SERVICE],
      options: [
        new Option('--from <version>', 'the version in service now'),
        new Option('--to <version>', 'the new version'),
        new Option('--steps <list>', `percentages of requests to --to, comma-separated (default ${DEFAULT_STEPS})`),
        new Option('--interval <duration>', 'how long each step runs before it is judged, e.g. 30s or 5m'),
        new Option('--max-error-ratio <n>', 'highest error ratio of the new version, 0 to 1, e.g. 0.01'),
        new Option('--max-p99-ratio <n>', "highest p99 of the new version as a multiple of the old one's, e.g. 1.5"),
        new Option('--min-requests <n>', 'fewest requests to the new version in an interval to judge it (fewer pauses)'),
      ],
      run: (ctx) => writeRule(ctx, 'canary', canaryOf(ctx)),
    },
    {
      name: 'abort',
      summary: 'stop a rollout and send every request back to the old version',
      usage: '<service>',
      help: [
        'Deletes the canary rule of the service (the controller stops) and sets its route weights to',
        '100% of the old version (--from), keeping its match rules. Exit 1 when no rollout is set.',
        '',
        'Example:',
        '  natsmesh canary abort hotel.booking',
      ].join('\n'),
      arguments: [SERVICE],
      run: abortCanary,
    },
  ],
};

function canaryOf({ args, values }: CommandContext): CanaryRule {
  const str = (k: string) => values[k] as string | undefined;
  const [from, to, interval] = [str('from'), str('to'), str('interval')];
  if (from === undefined || to === undefined || interval === undefined) {
    throw new UsageError('canary start needs --from <version>, --to <version> and --interval <duration>, e.g. --from 1.0.0 --to 2.0.0 --interval 1m.');
  }
  const steps = (str('steps') ?? DEFAULT_STEPS).split(',').map((s) => numberOf('--steps', s.trim()));
  const criteria: Record<string, number> = {};
  const given: [keyof CanaryCriteria, string][] = [['maxErrorRatio', '--max-error-ratio'], ['maxP99Ratio', '--max-p99-ratio'], ['minRequests', '--min-requests']];
  for (const [field, flag] of given) if (str(field) !== undefined) criteria[field] = numberOf(flag, str(field)!);
  return { service: args[0], from, to, steps, intervalMs: durationOf('--interval', interval), criteria };
}

async function abortCanary(ctx: CommandContext): Promise<number> {
  const service = ctx.args[0];
  const result = await withAdmin(ctx, async (admin) => {
    const canary = await admin.canaries.get(service);
    if (canary === undefined) throw new MeshError('NOT_FOUND', `No canary rollout of ${service} to abort: natsmesh get lists the canaries.`);
    // The rule goes first, so that a controller stops before the route is set back.
    await admin.canaries.delete(service);
    const route = await admin.routes.get(service);
    const write = await admin.routes.set({ ...route, service, weights: { [canary.from]: 100 } });
    return { aborted: `canary.${service}`, route: write.key, version: canary.from, warnings: write.warnings };
  });
  printWarnings(ctx.io, ctx.json, result.warnings);
  printResult(ctx.io, ctx.json, result, () => `Aborted the rollout of ${service}: deleted ${result.aborted}; ${result.route} sends every request to ${result.version}.`);
  return EXIT.OK;
}
