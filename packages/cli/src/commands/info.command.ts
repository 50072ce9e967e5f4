import { Argument } from 'commander';
import type { ServiceInfo } from 'nats';
import type { Command } from '../command';
import { endpointMiddleware, fetchSubscriptions, type SubscriptionRow } from '../handler-middleware';
import { renderTable } from '../output/table';
import { terminalSafe } from '../output/terminal-safe';
import { runServiceQuery } from '../service-query';
import { fetchInfo, instanceOf } from '../srv-discovery';

/** `natsmesh info <service>`: endpoints, subscriptions, the middleware around each, and instances of one service. */
export const infoCommand: Command = {
  name: 'info',
  summary: 'show the endpoints, input types, middleware and instances of a service',
  usage: '<service> [--json]',
  help: 'Asks the instances of one service ($SRV.INFO.<name>), and the first of them for its subscriptions.\n\nExample:\n  natsmesh info hotel.booking',
  arguments: [new Argument('<service>', 'service name, e.g. hotel.booking')],
  run: (ctx) => {
    let subscriptions: SubscriptionRow[] = [];
    return runServiceQuery(
      ctx,
      'info',
      async (client, service) => {
        const infos = await fetchInfo(client, service);
        // --json prints the raw $SRV replies; only the text needs the subscriptions.
        if (!ctx.json && infos[0]) subscriptions = await fetchSubscriptions(client, instanceOf(infos[0]), service);
        return infos;
      },
      (service, infos) => renderInfo(service, infos, subscriptions),
    );
  },
};

function renderInfo(service: string, infos: ServiceInfo[], subscriptions: readonly SubscriptionRow[]): string {
  const first = infos[0]!;
  const endpoints = (first.endpoints ?? []).map((e) => ({ e, middleware: endpointMiddleware(e.metadata) }));
  const endpointsHaveMiddleware = endpoints.some((x) => x.middleware.length > 0);
  const subscriptionsHaveMiddleware = subscriptions.some((s) => s.middleware.length > 0);
  return [
    `${service}  ${first.version}${first.description ? `  ${first.description}` : ''}`,
    '',
    renderTable(
      ['endpoint', 'subject', 'queue', 'input', ...(endpointsHaveMiddleware ? ['middleware'] : []), 'description'],
      endpoints.map(({ e, middleware }) => [
        e.name,
        e.subject,
        e.queue_group ?? '-',
        e.metadata?.['natsmesh.input'] ?? '-',
        ...(endpointsHaveMiddleware ? [chain(middleware)] : []),
        e.metadata?.description ?? '',
      ]),
    ),
    ...(subscriptions.length > 0
      ? [
          '',
          renderTable(
            ['subscription', 'method', 'queue', ...(subscriptionsHaveMiddleware ? ['middleware'] : [])],
            subscriptions.map((s) => [s.pattern, s.method, s.queue ?? '-', ...(subscriptionsHaveMiddleware ? [chain(s.middleware)] : [])]),
          ),
        ]
      : []),
    '',
    renderTable(
      ['instance', 'version', 'zone', 'host'],
      infos.map((i) => [instanceOf(i), i.version, i.metadata?.zone ?? '-', i.metadata?.host ?? '-']),
    ),
  ].join('\n');
}

/** Middleware names outermost first; escaped here too so the table's columns stay aligned. */
function chain(names: readonly string[]): string {
  return names.length === 0 ? '-' : names.map(terminalSafe).join(' → ');
}
