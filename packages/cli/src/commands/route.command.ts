import { Argument, Option } from 'commander';
import type { RouteMatchRule, RouteRule } from '@natsmesh/core';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../cli-error';
import { repeatableOption } from '../repeatable-option';
import { inOrder, keyValueOf, numberOf, orderedOption } from '../control/option-values';
import { deleteRule, showRules, writeRule } from '../control/rule-commands';
import { exportRoutes } from '../control/route-export';
import { SOURCE_OPTIONS, SOURCE_USAGE } from '../service-source';

const SERVICE = new Argument('<service>', 'the service, e.g. hotel.booking');

/** `natsmesh route set|get|delete`: traffic shifting by version. */
export const routeCommand: Command = {
  name: 'route',
  summary: 'traffic shifting: send requests to versions by weight, header or caller',
  usage: '<command>',
  help: [
    "A route sends a service's requests to the versions its instances announce (@Service({ version })):",
    'match rules first (a header value or the calling service picks a version; first match wins),',
    'then weights (percent per version, summing to 100). Every natsmesh app and client applies it within 1 s.',
    '',
    'Examples:',
    '  natsmesh route set hotel.booking --weight 1.0.0=90 --weight 2.0.0=10',
    "  natsmesh route set hotel.booking --match 'x-canary=1:2.0.0' --weight 1.0.0=100",
    '  natsmesh route get',
    '  natsmesh route delete hotel.booking',
    '  natsmesh route export --live --out mappings.conf',
  ].join('\n'),
  subcommands: [
    {
      name: 'set',
      summary: 'set the route of a service (replaces the one in force)',
      usage: "<service> [--weight <version>=<n>]… [--match '<header>=<value>:<version>' | --match-caller '<caller>:<version>']…",
      help: [
        'Writes the whole route of the service: the weights and match rules given here replace those in force.',
        'Match rules are tried in the order given, before the weights; without weights, requests no',
        'match rule takes keep the normal balancing. An invalid route (weights not summing to 100, say)',
        'is refused (exit 1) and nothing changes; a version or service no instance runs is a warning.',
        '',
        'Examples:',
        '  natsmesh route set hotel.booking --weight 1.0.0=90 --weight 2.0.0=10',
        "  natsmesh route set hotel.booking --match 'x-canary=1:2.0.0' --match-caller 'hotel.rooms:2.0.0'",
      ].join('\n'),
      arguments: [SERVICE],
      options: [
        repeatableOption('--weight <version=n>', 'percent of the requests to a version (repeatable; they sum to 100)'),
        orderedOption('--match <header=value:version>', 'requests with this header value go to the version (repeatable)'),
        orderedOption('--match-caller <caller:version>', 'requests from this calling service go to the version (repeatable)'),
      ],
      run: (ctx) => writeRule(ctx, 'route', routeOf(ctx)),
    },
    {
      name: 'get',
      summary: 'show the route of a service, or every route',
      usage: '[<service>]',
      help: 'Prints the routes in force: match rules and weights; --json prints them as a list.\n\nExample:\n  natsmesh route get hotel.booking',
      arguments: [new Argument('[service]', 'only the route of this service')],
      run: (ctx) => showRules(ctx, 'route', (r) => ctx.args[0] === undefined || r.service === ctx.args[0], ctx.args[0]),
    },
    {
      name: 'delete',
      summary: 'delete the route of a service (its requests go back to normal balancing)',
      usage: '<service>',
      help: 'Deletes the route; exit 1 when the service has none.\n\nExample:\n  natsmesh route delete hotel.booking',
      arguments: [SERVICE],
      run: (ctx) => deleteRule(ctx, 'route', `route.${ctx.args[0]}`, ctx.args[0]),
    },
    {
      name: 'export',
      summary: 'write the route weights in force as nats-server subject mappings, for every client',
      usage: `${SOURCE_USAGE} [--service <name>] [--out <file>]`,
      help: [
        'natsmesh callers apply routes themselves; plain NATS callers keep the queue groups. To have the',
        'server split the traffic of every client, include the mappings block this prints in the',
        'nats-server config (top level, or in the account of the services) and restart the server:',
        'each endpoint subject of a routed service is mapped by weight to $NATSMESH.V.<version>.<subject>,',
        'on which every instance of that version listens in its queue group. The endpoint subjects come',
        'from the services (--live: the running mesh; --scan/--module: compiled code). What a mapping',
        'cannot carry is printed on stderr: match rules (headers, caller), services not found, versions',
        'no instance runs, weights rounded to whole percent. Export again after a route changes.',
        '',
        'Examples:',
        '  natsmesh route export --live',
        "  natsmesh route export --scan 'dist/**/*.service.js' --service hotel.booking --out mappings.conf",
      ].join('\n'),
      options: [
        ...SOURCE_OPTIONS,
        new Option('--service <name>', 'only the route of this service'),
        new Option('--out <file>', 'write the mappings block to this file instead of stdout'),
      ],
      run: exportRoutes,
    },
  ],
};

function routeOf({ args, values }: CommandContext): RouteRule {
  const weightTexts = (values.weight as string[] | undefined) ?? [];
  const weights: Record<string, number> = {};
  for (const text of weightTexts) {
    const [version, weight] = keyValueOf('--weight', text, 'version=percent, e.g. --weight 2.0.0=10');
    weights[version] = numberOf(`--weight ${version}`, weight);
  }
  const match = inOrder(values, 'match', 'matchCaller').map(({ name, text }) => matchOf(name, text));
  return { service: args[0], ...(match.length > 0 ? { match } : {}), ...(weightTexts.length > 0 ? { weights } : {}) };
}

function matchOf(name: string, text: string): RouteMatchRule {
  const colon = text.lastIndexOf(':');
  const version = colon < 0 ? '' : text.slice(colon + 1);
  if (name === 'matchCaller') {
    if (colon <= 0 || version === '') throw new UsageError(`--match-caller "${text}" is not caller:version, e.g. --match-caller 'hotel.rooms:2.0.0'.`);
    return { caller: text.slice(0, colon), version };
  }
  const example = "header=value:version, e.g. --match 'x-canary=1:2.0.0'";
  if (colon < 0 || version === '') throw new UsageError(`--match "${text}" is not ${example}.`);
  const [header, value] = keyValueOf('--match', text.slice(0, colon), example);
  return { headers: { [header]: value }, version };
}
