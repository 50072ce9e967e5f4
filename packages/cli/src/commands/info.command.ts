import type { Command } from '../command';
import { renderTable } from '../output/table';
import { runServiceQuery } from '../service-query';
import { fetchInfo, instanceOf } from '../srv-discovery';

/** `natsmesh info <service>`: endpoints, input types and instances of one service. */
export const infoCommand: Command = {
  name: 'info',
  summary: 'show the endpoints, input types and instances of a service',
  usage: 'natsmesh info <service> [--json]',
  help: 'Asks the instances of one service ($SRV.INFO.<name>).\n\nExample:\n  natsmesh info hotel.booking',
  options: {},
  maxArgs: 1,
  run: (ctx) =>
    runServiceQuery(ctx, 'info', fetchInfo, (service, infos) => {
      const first = infos[0];
      return [
        `${service}  ${first.version}${first.description ? `  ${first.description}` : ''}`,
        '',
        renderTable(
          ['endpoint', 'subject', 'queue', 'input', 'description'],
          (first.endpoints ?? []).map((e) => [
            e.name,
            e.subject,
            e.queue_group ?? '-',
            e.metadata?.['natsmesh.input'] ?? '-',
            e.metadata?.description ?? '',
          ]),
        ),
        '',
        renderTable(
          ['instance', 'version', 'zone', 'host'],
          infos.map((i) => [instanceOf(i), i.version, i.metadata?.zone ?? '-', i.metadata?.host ?? '-']),
        ),
      ].join('\n');
    }),
};
