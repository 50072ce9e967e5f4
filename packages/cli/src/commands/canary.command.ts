import { Argument, Option } from 'commander';
import { MeshError, readCanaryStatus, type CanaryCriteria, type CanaryRule, type CanaryStatus } from '@natsmesh/core';
import type { Command, CommandContext } from '../command';
import { EXIT, UsageError } from '../cli-error';
import { printResult } from '../output/cli-output';
import { printWarnings, withAdmin } from '../control/admin-session';
import { startRollout } from '../control/canary-restart';
import { runCanaryController } from '../control/canary-run';
import { canaryStatusText } from '../control/canary-text';
import { watchRollout } from '../control/canary-watch';
import { durationOf, numberOf } from '../control/option-values';
import { ruleText } from '../control/rule-text';

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
    'natsmesh canary run runs the controller that drives them (run two: one takes over when the other dies).',
    '',
    'Examples:',
    '  natsmesh canary start hotel.booking --from 1.0.0 --to 2.0.0 --interval 1m --max-error-ratio 0.01',
    '  natsmesh canary run',
    '  natsmesh canary status hotel.booking --watch',
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
        `(default ${DEFAULT_STEPS}); each step runs for --interval before it is judged. After a rollout`,
        'that ended (succeeded, rolled back) or was aborted, its state is cleared and the new one starts',
        'from its first step, even between the same versions; a rollout under way keeps its step.',
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
      run: startCanary,
    },
    {
      name: 'status',
      summary: "show each rollout's rule, state and live per-version figures; --watch follows one",
      usage: '[service] [--watch] [--window <dur>]',
      help: [
        "Prints each canary rollout (or the service's): its rule, where its controller took it",
        '(phase, step, weight, why, when), and what each version of the service did over --window',
        '(instances, requests, errors, error ratio, p99 latency), from every instance\'s $SRV.STATS.',
        '',
        '--watch follows one rollout as its controller decides, until it succeeds (exit 0) or is',
        'rolled back or stopped (exit 1): a progress bar in a terminal, one line per decision',
        'otherwise (one JSON state per line with --json).',
        '',
        'Examples:',
        '  natsmesh canary status',
        '  natsmesh canary status hotel.booking --watch',
        '  natsmesh canary status --json --window 5s',
      ].join('\n'),
      arguments: [new Argument('[service]', 'only this service, e.g. hotel.booking')],
      options: [
        new Option('-w, --watch', 'follow the rollout until it succeeds or is rolled back'),
        new Option('--window <duration>', 'the figures cover this long, e.g. 5s (default 1s)'),
      ],
      run: showStatus,
    },
    {
      name: 'run',
      summary: 'run a canary controller in the foreground until Ctrl-C',
      usage: '[service...] [--lock-ttl <dur>]',
      help: [
        "Drives the canary rollouts (of the services named, else all) and prints each decision.",
        'One controller drives a rollout at a time, under a lock in the rules bucket: run a second',
        'one, and it resumes the rollouts of the first from their stored step once the first dies',
        '(its lock expires after --lock-ttl) or stops (Ctrl-C releases its locks at once).',
        '',
        'Examples:',
        '  natsmesh canary run',
        '  natsmesh canary run hotel.booking --lock-ttl 10s',
      ].join('\n'),
      arguments: [new Argument('[service...]', 'only these services')],
      options: [new Option('--lock-ttl <duration>', 'how long a lock lasts unless renewed, e.g. 15s (default 15s)')],
      run: runController,
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

async function startCanary(ctx: CommandContext): Promise<number> {
  const rule = canaryOf(ctx);
  const client = await ctx.connect({ control: false });
  const write = await withAdmin(ctx, (admin) => startRollout(client.connection, admin, rule));
  printWarnings(ctx.io, ctx.json, write.warnings);
  const { cleared } = write;
  printResult(ctx.io, ctx.json, { key: write.key, rule, warnings: write.warnings, ...(cleared === undefined ? {} : { cleared }) }, () =>
    [
      `Set ${write.key}: ${ruleText('canary', rule)}.`,
      ...(cleared === undefined ? [] : [`Cleared the last rollout of ${rule.service} (${cleared.phase} at ${cleared.weight}%): it starts again from its first step.`]),
    ].join('\n'),
  );
  return EXIT.OK;
}

async function showStatus(ctx: CommandContext): Promise<number> {
  const service = ctx.args[0];
  const window = ctx.values.window as string | undefined;
  const windowMs = window === undefined ? 1000 : durationOf('--window', window);
  const nc = (await ctx.connect({ control: false })).connection;
  const watch = ctx.values.watch === true;
  // --watch shows figures only in a terminal's bar: line by line, it need not wait for a window.
  const figures = !watch || (ctx.io.terminal !== undefined && !ctx.json);
  const statuses = await readCanaryStatus({ nats: nc, ...(service === undefined ? {} : { service }), windowMs: figures ? windowMs : 0 });
  if (!watch) {
    printResult(ctx.io, ctx.json, statuses, () => (statuses.length === 0 ? 'No canary rollouts.' : statuses.map((s) => canaryStatusText(s)).join('\n\n')));
    return EXIT.OK;
  }
  return watchRollout(nc, ctx.io, ctx.json, followed(statuses, service), windowMs);
}

// The rollout --watch follows: the service's, else the only one with a rule in force.
function followed(statuses: readonly CanaryStatus[], service: string | undefined): CanaryStatus {
  const known = statuses.filter((s) => s.rule !== undefined || s.state !== undefined);
  if (service !== undefined) {
    if (known.length === 0) throw new MeshError('NOT_FOUND', `No canary rollout of ${service}: natsmesh canary start ${service} --from <v> --to <v> --interval <dur> begins one.`);
    return known[0]!;
  }
  const ruled = known.filter((s) => s.rule !== undefined);
  if (ruled.length === 1) return ruled[0]!;
  if (ruled.length === 0) throw new MeshError('NOT_FOUND', 'No canary rollout is in force: natsmesh canary start begins one.');
  throw new UsageError(`canary status --watch follows one rollout: name its service (${ruled.map((s) => s.service).join(', ')}).`);
}

async function runController(ctx: CommandContext): Promise<number> {
  const ttl = ctx.values.lockTtl as string | undefined;
  const lockTtlMs = ttl === undefined ? undefined : durationOf('--lock-ttl', ttl);
  // The client's view of the rules tells how many steps each rollout has, for the lines printed.
  const client = await ctx.connect();
  return runCanaryController(client, ctx.io, { services: ctx.args, lockTtlMs, json: ctx.json });
}

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
