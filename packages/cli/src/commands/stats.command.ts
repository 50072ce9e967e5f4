import { Argument } from 'commander';
import type { Command } from '../command';
import { renderTable } from '../output/table';
import { runServiceQuery } from '../service-query';
import { fetchStats, instanceOf } from '../srv-discovery';

/** `natsmesh stats <service>`: request counts, errors and timings per instance and endpoint. */
export const statsCommand: Command = {
  name: 'stats',
  summary: 'show requests, errors and processing times of a service, per instance',
  usage: '<service> [--json]',
  help: 'Asks the instances of one service ($SRV.STATS.<name>). Times include asynchronous work.\n\nExample:\n  natsmesh stats hotel.booking',
  arguments: [new Argument('<service>', 'service name, e.g. hotel.booking')],
  run: (ctx) =>
    runServiceQuery(ctx, 'stats', fetchStats, (_service, stats) =>
      renderTable(
        ['instance', 'endpoint', 'requests', 'errors', 'avg ms', 'last error'],
        stats.flatMap((s) =>
          (s.endpoints ?? []).map((e) => [
            instanceOf(s),
            e.name,
            String(e.num_requests),
            String(e.num_errors),
            (e.average_processing_time / 1e6).toFixed(3),
            e.last_error || '-',
          ]),
        ),
      ),
    ),
};
