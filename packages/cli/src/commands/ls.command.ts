import type { Command } from '../command';
import { EXIT } from '../cli-error';
import { printResult } from '../output/cli-output';
import { renderTable } from '../output/table';
import { fetchInfo, instanceOf, serviceNameOf } from '../srv-discovery';

/** One service of the mesh, with all its live instances. */
interface ServiceRow {
  service: string;
  versions: string[];
  instances: { id: string; zone?: string; host?: string; version: string }[];
  endpoints: { name: string; subject: string; queue?: string }[];
}

/** `natsmesh ls`: the services of the mesh, from the NATS Service API. */
export const lsCommand: Command = {
  name: 'ls',
  summary: 'list the services of the mesh: versions, instances, endpoints, zones',
  usage: '[--json]',
  help: 'Asks every service instance ($SRV.INFO), natsmesh or any NATS micro service, and groups the replies by service.\n\nExample:\n  natsmesh ls --server nats://127.0.0.1:4222',
  async run({ io, json, connect }) {
    const client = await connect();
    const rows = new Map<string, ServiceRow>();
    for (const info of await fetchInfo(client)) {
      const name = serviceNameOf(info);
      const row = rows.get(name) ?? { service: name, versions: [], instances: [], endpoints: [] };
      if (!row.versions.includes(info.version)) row.versions.push(info.version);
      row.instances.push({ id: instanceOf(info), zone: info.metadata?.zone, host: info.metadata?.host, version: info.version });
      for (const e of info.endpoints ?? []) {
        if (!row.endpoints.some((x) => x.subject === e.subject)) row.endpoints.push({ name: e.name, subject: e.subject, queue: e.queue_group });
      }
      rows.set(name, row);
    }
    const list = [...rows.values()];
    printResult(io, json, list, () =>
      list.length === 0
        ? 'No services answered on $SRV.INFO.'
        : renderTable(
        ['service', 'version', 'instances', 'zones', 'endpoints'],
        list.map((r) => [
          r.service,
          r.versions.join(', '),
          String(r.instances.length),
          [...new Set(r.instances.map((i) => i.zone ?? '-'))].join(', '),
          r.endpoints.map((e) => e.name).join(', '),
          ]),
        ),
    );
    return EXIT.OK;
  },
};
