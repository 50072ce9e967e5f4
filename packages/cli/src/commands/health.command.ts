import { Argument } from 'commander';
import { MeshError, type HealthReport } from '@natsmesh/core';
import { EXIT, UsageError } from '../cli-error';
import type { Command } from '../command';
import { fetchHealth } from '../health-query';
import { failureOf, printFailure, printResult } from '../output/cli-output';
import { renderTable } from '../output/table';
import { formatUptime } from '../output/uptime';

/** `natsmesh health [instance|service]`: whether each app is ready; exit 1 when one is not, or none answered. */
export const healthCommand: Command = {
  name: 'health',
  summary: 'show whether each app is ready: status, reason, uptime, handlers in flight (exit 1 if not)',
  usage: '[instance|service] [--json]',
  help: [
    'Asks every natsmesh app ($NATSMESH.HEALTH), one instance by id ($NATSMESH.HEALTH.<id>), or the',
    'apps hosting one service. Exits 0 when every app that answered is ready, 1 when one is not',
    '(starting, stopping, disconnected) or none answered: use it in scripts and as a probe.',
    '',
    'Examples:',
    '  natsmesh health',
    '  natsmesh health hotel-1',
    '  natsmesh health hotel.booking --json',
  ].join('\n'),
  arguments: [new Argument('[instance|service]', 'an instance id, or a service name (default: every app)')],
  async run({ args, io, json, connect }) {
    const [target] = args;
    if (target !== undefined && !/^[^\s.*>]+(\.[^\s.*>]+)*$/.test(target)) {
      throw new UsageError(`health takes an instance id or a service name, e.g. natsmesh health hotel-1 or natsmesh health hotel.booking; got "${target}".`);
    }
    const client = await connect();
    const reports = await fetchHealth(client, target);
    if (reports.length === 0) {
      const server = client.connection.getServer();
      const message =
        target === undefined
          ? `No natsmesh app answered health on ${server}.`
          : `No instance or service "${target}" answered health on ${server}: list them with natsmesh health.`;
      printFailure(io, json, failureOf(new MeshError('NOT_FOUND', message)), message);
      return EXIT.FAILED;
    }
    printResult(io, json, reports, () => renderHealth(reports));
    const notReady = reports.filter((r) => r.status !== 'ready');
    if (notReady.length === 0) return EXIT.OK;
    const message = `Not ready: ${notReady.map((r) => `${r.id} (${r.status})`).join(', ')}.`;
    printFailure(io, json, failureOf(new MeshError('UNAVAILABLE', message)), message);
    return EXIT.FAILED;
  },
};

function renderHealth(reports: readonly HealthReport[]): string {
  return renderTable(
    ['instance', 'services', 'status', 'reason', 'uptime', 'in flight'],
    reports.map((r) => [
      r.id,
      r.services.map((s) => s.name).join(', ') || '-',
      r.status,
      // What other processes sent: only strings and numbers reach the table.
      typeof r.reason === 'string' ? r.reason : '-',
      formatUptime(r.uptime),
      typeof r.inFlight === 'number' ? String(r.inFlight) : '-',
    ]),
  );
}
