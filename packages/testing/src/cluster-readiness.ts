import { get } from 'node:http';
import { TestingError } from './errors';
import type { LocalNatsServer } from './local-nats-server';

const POLL_MS = 25;

/** What one member reports about its part in the mesh. */
interface MemberState {
  routedTo: number;
  metaLeader: string | undefined;
}

/**
 * Resolves once each of `members` has a route to every other running member and, with
 * JetStream, knows a meta leader (when enough members run to elect one).
 *
 * @throws TestingError `NATS_CLUSTER_NOT_READY` after `timeoutMs`, naming what each member lacked.
 */
export async function waitForMesh(
  members: readonly LocalNatsServer[],
  all: readonly LocalNatsServer[],
  opts: { jetstream: boolean; timeoutMs: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const runningCount = all.filter((s) => s.running).length;
  const expectedRoutes = runningCount - 1;
  // JetStream elects a meta leader only with a quorum of the configured cluster size.
  const expectLeader = opts.jetstream && runningCount > all.length / 2;
  let last: MemberState[] = [];
  for (;;) {
    last = await Promise.all(members.map(readState));
    if (last.every((s) => s.routedTo >= expectedRoutes && (!expectLeader || s.metaLeader))) return;
    if (Date.now() >= deadline) break;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  const report = members
    .map((m, i) => `${m.url}: routes to ${last[i].routedTo} of ${expectedRoutes} other members${expectLeader ? `, JetStream meta leader ${last[i].metaLeader ?? 'unknown'}` : ''}`)
    .join('; ');
  const tails = members.map((m) => `--- ${m.url} ---\n${m.outputTail()}`).join('\n');
  throw new TestingError(
    'NATS_CLUSTER_NOT_READY',
    `The NATS cluster did not form within ${opts.timeoutMs} ms (${report}). Check that the cluster ports are free; the servers' last output:\n${tails}`,
  );
}

async function readState(member: LocalNatsServer): Promise<MemberState> {
  const base = member.monitorUrl;
  if (!base || !member.running) return { routedTo: 0, metaLeader: undefined };
  const routez = (await getJson(`${base}/routez`)) as { routes?: Array<{ remote_id?: string }> } | undefined;
  // nats-server 2.10 pools several connections per peer: count peers, not connections.
  const peers = new Set((routez?.routes ?? []).map((r) => r.remote_id).filter(Boolean));
  const jsz = (await getJson(`${base}/jsz`)) as { meta_cluster?: { leader?: string } } | undefined;
  return { routedTo: peers.size, metaLeader: jsz?.meta_cluster?.leader || undefined };
}

/** GETs a monitoring endpoint; `undefined` on any failure, as a member may be restarting. */
function getJson(url: string): Promise<unknown> {
  return new Promise((done) => {
    const req = get(url, { agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          done(JSON.parse(body));
        } catch {
          done(undefined);
        }
      });
      res.on('error', () => done(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
  });
}
