import { Argument, Option } from 'commander';
import type { MirrorRule } from '@natsmesh/core';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../cli-error';
import { numberOf } from '../control/option-values';
import { deleteRule, showRules, writeRule } from '../control/rule-commands';
import { showMirrorStatus } from '../control/mirror-status';

const SERVICE = new Argument('<service>', 'the service, e.g. hotel.booking');
const endpointOption = (what: string) => new Option('--endpoint <name>', what);

/** `natsmesh mirror set|get|delete`: copies of a share of requests to another version. */
export const mirrorCommand: Command = {
  name: 'mirror',
  summary: 'mirroring: copy a share of requests to another version (replies ignored, counted)',
  usage: '<command>',
  help: [
    "A mirror copies a share of the requests to a service's endpoint (or all its endpoints) to an",
    'instance of another version. Callers only ever see the primary reply; the copies are counted',
    '(status, latency, and with --compare whether the reply equals the primary one).',
    '',
    'Examples:',
    '  natsmesh mirror set hotel.rooms --endpoint list --to 2.0.0 --percent 50 --compare',
    '  natsmesh mirror get',
    '  natsmesh mirror status',
    '  natsmesh mirror delete hotel.rooms --endpoint list',
  ].join('\n'),
  subcommands: [
    {
      name: 'set',
      summary: 'mirror a share of the requests of a service or endpoint to a version',
      usage: '<service> [--endpoint <name>] --to <version> --percent <n> [--compare]',
      help: [
        'Writes the mirror of the service (every endpoint) or, with --endpoint, of one endpoint; it',
        'replaces the mirror with the same service and endpoint. An invalid one is refused (exit 1).',
        '',
        'Example:',
        '  natsmesh mirror set hotel.rooms --endpoint list --to 2.0.0 --percent 50 --compare',
      ].join('\n'),
      arguments: [SERVICE],
      options: [
        endpointOption('only this endpoint, e.g. save (default: every endpoint)'),
        new Option('--to <version>', 'the version the copies go to'),
        new Option('--percent <n>', 'share of the requests copied, 0 to 100'),
        new Option('--compare', "count whether the mirror's reply equals the primary's"),
      ],
      run: (ctx) => writeRule(ctx, 'mirror', mirrorOf(ctx)),
    },
    {
      name: 'get',
      summary: 'show the mirrors of a service, or every mirror',
      usage: '[<service>] [--endpoint <name>]',
      help: 'Prints the mirrors in force; --json prints them as a list.\n\nExample:\n  natsmesh mirror get hotel.rooms',
      arguments: [new Argument('[service]', 'only the mirrors of this service')],
      options: [endpointOption('only the mirror of this endpoint')],
      run: (ctx) => {
        const [service] = ctx.args;
        const endpoint = ctx.values.endpoint as string | undefined;
        const keep = (m: MirrorRule) => (service === undefined || m.service === service) && (endpoint === undefined || m.endpoint === endpoint);
        return showRules(ctx, 'mirror', keep, service === undefined ? undefined : [service, endpoint].filter(Boolean).join(' '));
      },
    },
    {
      name: 'status',
      summary: 'show the mirrored copies and their outcomes, per subject and version',
      usage: '',
      help: [
        'Asks every natsmesh client that has had a mirror rule in force ($NATSMESH.MIRRORS) what became of',
        'the copies it sent since it started, and sums them per subject and version: clients, copies sent,',
        'outcomes (OK; EQUAL / DIFFERENT with --compare; an error code such as TIMEOUT; NO_INSTANCE when no',
        'instance of the version ran, not sent), and the mean and highest time to the copy\'s reply.',
        '--json prints the totals and each client\'s report.',
        '',
        'Example:',
        '  natsmesh mirror status',
      ].join('\n'),
      run: showMirrorStatus,
    },
    {
      name: 'delete',
      summary: 'delete the mirror of a service or endpoint',
      usage: '<service> [--endpoint <name>]',
      help: 'Deletes the mirror of the service (or of one endpoint with --endpoint); exit 1 when there is none.\n\nExample:\n  natsmesh mirror delete hotel.rooms --endpoint list',
      arguments: [SERVICE],
      options: [endpointOption('the mirror of this endpoint (default: the one of every endpoint)')],
      run: (ctx) => {
        const endpoint = ctx.values.endpoint as string | undefined;
        const id = endpoint === undefined ? [ctx.args[0]] : [ctx.args[0], endpoint];
        return deleteRule(ctx, 'mirror', `mirror.${id.join('.')}`, ...id);
      },
    },
  ],
};

function mirrorOf({ args, values }: CommandContext): MirrorRule {
  const to = values.to as string | undefined;
  const percent = values.percent as string | undefined;
  if (to === undefined || percent === undefined) throw new UsageError('mirror set needs --to <version> and --percent <n>, e.g. --to 2.0.0 --percent 50.');
  const endpoint = values.endpoint as string | undefined;
  return {
    service: args[0],
    ...(endpoint === undefined ? {} : { endpoint }),
    version: to,
    percent: numberOf('--percent', percent),
    ...(values.compare === true ? { compare: true } : {}),
  };
}
