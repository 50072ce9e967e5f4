import { Argument, Option } from 'commander';
import type { FaultRule } from '@natsmesh/core';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../cli-error';
import { HEADER_OPTION, parseHeaders } from '../json-argument';
import { parseDuration } from '../control/duration';
import { durationOf, withPercent } from '../control/option-values';
import { deleteRule, showRules, writeRule } from '../control/rule-commands';

const NAME = new Argument('<name>', 'the name of the fault: letters, digits, - and _');

/** `natsmesh fault set|get|delete`: injected delays and errors that end by themselves. */
export const faultCommand: Command = {
  name: 'fault',
  summary: 'fault injection: delay or fail a share of requests, for a while',
  usage: '<command>',
  help: [
    'A fault delays a share of the matching requests (--delay) and/or fails a share with an error',
    'code (--abort), on the serving instances (every caller sees it) or in natsmesh clients',
    '(--where client). Every fault needs --for: it ends by itself then.',
    '',
    'Examples:',
    '  natsmesh fault set slow-save --service hotel.booking --endpoint save --delay 200@50 --for 10m',
    '  natsmesh fault set rooms-down --service hotel.rooms --abort UNAVAILABLE@30 --for 5m',
    '  natsmesh fault get',
    '  natsmesh fault delete slow-save',
  ].join('\n'),
  subcommands: [
    {
      name: 'set',
      summary: 'inject a fault into the requests of a service, for a while',
      usage: '<name> --service <s> [--endpoint e] [--version v] [--header k=v]… [--caller c] [--delay <ms>[@<percent>]] [--abort <CODE>[@<percent>]] [--where server|client] --for <duration>',
      help: [
        'Writes the fault of that name (replacing one with the same name). --delay takes milliseconds',
        '(or a duration: 1.5s) and --abort a natsmesh error code, each with an optional share after @',
        '(default 100%). --header and --caller narrow it to matching requests. --for (10m, 1h) sets',
        'when it ends; a fault without --for is refused.',
        '',
        'Examples:',
        '  natsmesh fault set slow-save --service hotel.booking --endpoint save --delay 200@50 --for 10m',
        '  natsmesh fault set canary-errors --service hotel.booking --version 2.0.0 --header x-canary=1 --abort INTERNAL --for 30m',
      ].join('\n'),
      arguments: [NAME],
      options: [
        new Option('--service <name>', 'the service whose requests it hits, e.g. hotel.booking'),
        new Option('--endpoint <name>', 'only this endpoint, e.g. save'),
        new Option('--version <version>', 'only instances (or, --where client, calls routed to instances) of this version'),
        HEADER_OPTION,
        new Option('--caller <service>', 'only requests from this calling service'),
        new Option('--delay <ms[@percent]>', 'delay by ms, e.g. 200@50 (200 ms for 50% of the requests)'),
        new Option('--abort <CODE[@percent]>', 'fail with a natsmesh error code, e.g. UNAVAILABLE@30'),
        new Option('--where <side>', 'server (default: every caller sees it) or client (natsmesh clients, before they send)').choices(['server', 'client']),
        new Option('--for <duration>', 'how long it lasts, e.g. 10m or 1h; required'),
      ],
      run: (ctx) => writeRule(ctx, 'fault', faultOf(ctx, Date.now())),
    },
    {
      name: 'get',
      summary: 'show a fault, or every fault',
      usage: '[<name>]',
      help: 'Prints the faults in the bucket, expired ones too (EXPIRES says so); --json prints them as a list.\n\nExample:\n  natsmesh fault get',
      arguments: [new Argument('[name]', 'only the fault of this name')],
      run: (ctx) => showRules(ctx, 'fault', (f) => ctx.args[0] === undefined || f.name === ctx.args[0], ctx.args[0]),
    },
    {
      name: 'delete',
      summary: 'end a fault now',
      usage: '<name>',
      help: 'Deletes the fault; exit 1 when there is none of that name.\n\nExample:\n  natsmesh fault delete slow-save',
      arguments: [NAME],
      run: (ctx) => deleteRule(ctx, 'fault', `fault.${ctx.args[0]}`, ctx.args[0]),
    },
  ],
};

function faultOf({ args, values }: CommandContext, now: number): FaultRule {
  const str = (k: string) => values[k] as string | undefined;
  const service = str('service');
  const duration = str('for');
  if (service === undefined) throw new UsageError('fault set needs --service <name>, the service whose requests it hits, e.g. --service hotel.booking.');
  if (duration === undefined) throw new UsageError('fault set needs --for <duration>, e.g. --for 10m: a fault ends by itself then, so a forgotten one does no harm.');
  const headers = parseHeaders(values.header as string[] | undefined);
  const caller = str('caller');
  const delay = str('delay');
  const abort = str('abort');
  const optional = { endpoint: str('endpoint'), version: str('version'), where: str('where') as FaultRule['where'] };
  return {
    name: args[0],
    service,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...(headers === undefined && caller === undefined ? {} : { match: { ...(headers === undefined ? {} : { headers: { ...headers } }), ...(caller === undefined ? {} : { caller }) } }),
    ...(delay === undefined ? {} : { delay: delayOf(delay) }),
    ...(abort === undefined ? {} : { abort: abortOf(abort) }),
    expiresAt: now + durationOf('--for', duration),
  };
}

function delayOf(text: string): { ms: number; percent: number } {
  const { value, percent } = withPercent('--delay', text);
  const ms = /^\d+$/.test(value) ? Number(value) : parseDuration(value);
  if (ms === undefined) throw new UsageError(`--delay "${text}" is not ms[@percent]: write e.g. 200 or 200@50 (200 ms for half of the requests), or a duration such as 1.5s.`);
  return { ms, percent };
}

function abortOf(text: string): { code: string; percent: number } {
  const { value, percent } = withPercent('--abort', text);
  return { code: value, percent };
}
