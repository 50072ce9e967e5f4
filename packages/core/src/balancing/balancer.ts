import type { VersionTarget } from '../control/call-decision';
import type { MeshRegistry } from '../discovery/mesh-registry';
import { hashString, rendezvousScore } from './rendezvous-hash';
import type { Strategy } from './strategy';

/** One instance that serves a subject, as the balancer sees it. */
interface Node {
  readonly id: string;
  readonly zone: string | undefined;
  /** Its instance-addressed subject for the endpoint. */
  readonly subject: string;
  readonly hash: number;
}

/** What this client itself observed of one instance. */
interface Observed {
  outstanding: number;
  /** Moving average of observed latency, ms; 0 until measured. */
  ewma: number;
  updated: number;
}

/** The instance a call goes to; hand it back to {@link Balancer.done}. */
export interface Target {
  readonly subject: string;
  readonly instanceId: string;
  readonly started: number;
}

// Bounded load (Mirrokni et al.): no instance takes more than this factor of the mean in flight.
const LOAD_BOUND = 1.25;
const EWMA_ALPHA = 0.3;
// A latency estimate fades with age, so an instance shunned as slow gets probed again.
const EWMA_DECAY_MS = 10_000;

/**
 * Picks instances for client-side strategies from the live registry and tracks what the
 * client has in flight and how fast each instance answered. Made on the first call with a
 * strategy other than `queue`.
 */
export class Balancer {
  private registry: MeshRegistry | undefined;
  private readonly nodes = new Map<string, Node[]>();
  private readonly observed = new Map<string, Observed>();
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly start: () => Promise<MeshRegistry>,
    private readonly zone: string | undefined,
  ) {}

  /** The registry, once started; resolves at once after the first call. */
  async ready(): Promise<void> {
    if (this.registry) return;
    const registry = await this.start();
    if (this.registry) return;
    this.registry = registry;
    const forget = () => this.nodes.clear();
    registry.on('up', forget);
    registry.on('down', forget);
  }

  /**
   * The instance for a call, or undefined when the registry knows none (the queue group then
   * picks). Instances for which `isOpen` says their circuit is open are passed over while others remain.
   * With `version` (a routing rule's choice), only instances hosting that version of the endpoint's service are candidates.
   */
  pick(subject: string, strategy: Strategy, key: string | undefined, isOpen?: (instanceSubject: string) => boolean, version?: VersionTarget): Target | undefined {
    let nodes = this.nodesOf(subject, version);
    if (nodes.length === 0) return undefined;
    if (isOpen !== undefined) {
      const closed = nodes.filter((n) => !isOpen(n.subject));
      if (closed.length > 0) nodes = closed;
    }
    let node: Node;
    switch (strategy) {
      case 'round-robin': {
        const turns = version?.nodesKey ?? subject;
        const turn = this.turns.get(turns) ?? 0;
        this.turns.set(turns, turn + 1);
        node = nodes[turn % nodes.length];
        break;
      }
      case 'latency':
        node = this.lowest(nodes, (n) => this.latencyScore(n));
        break;
      case 'consistent-hash':
        node = key === undefined ? this.lowest(nodes, (n) => this.load(n)) : this.byHash(nodes, key);
        break;
      case 'zone': {
        const local = nodes.filter((n) => n.zone === this.zone);
        node = this.lowest(local.length > 0 ? local : nodes, (n) => this.load(n));
        break;
      }
      default:
        node = this.lowest(nodes, (n) => this.load(n));
    }
    this.observe(node.id).outstanding++;
    return { subject: node.subject, instanceId: node.id, started: performance.now() };
  }

  /** Records the end of a call; `measured` false for failures that say nothing about speed. */
  done(target: Target, measured: boolean): void {
    const o = this.observe(target.instanceId);
    o.outstanding--;
    if (!measured) return;
    const ms = performance.now() - target.started;
    o.ewma = o.ewma === 0 ? ms : o.ewma + EWMA_ALPHA * (ms - o.ewma);
    o.updated = Date.now();
  }

  /** Drops what is known of an instance that no longer answers, until the registry lists it again. */
  forget(instanceId: string): void {
    for (const [cacheKey, nodes] of this.nodes) this.nodes.set(cacheKey, nodes.filter((n) => n.id !== instanceId));
  }

  private nodesOf(subject: string, version: VersionTarget | undefined): Node[] {
    const cacheKey = version?.nodesKey ?? subject;
    let nodes = this.nodes.get(cacheKey);
    if (nodes) return nodes;
    nodes = [];
    for (const s of this.registry?.instances() ?? []) {
      const direct = s.info.direct;
      const serves = s.info.services.some((d) => (version === undefined || d.version === version.version) && d.endpoints.some((e) => e.subject === subject));
      if (direct === undefined || !serves) continue;
      nodes.push({ id: s.info.id, zone: s.info.zone, subject: `${direct}.${subject}`, hash: hashString(s.info.id) });
    }
    this.nodes.set(cacheKey, nodes);
    return nodes;
  }

  private observe(id: string): Observed {
    let o = this.observed.get(id);
    if (!o) this.observed.set(id, (o = { outstanding: 0, ewma: 0, updated: 0 }));
    return o;
  }

  private load(n: Node): number {
    return (this.registry?.instance(n.id)?.load?.inFlight ?? 0) + (this.observed.get(n.id)?.outstanding ?? 0);
  }

  private latencyScore(n: Node): number {
    const o = this.observed.get(n.id);
    let ms = o?.ewma ?? 0;
    if (o !== undefined && ms > 0) ms *= Math.exp(-(Date.now() - o.updated) / EWMA_DECAY_MS);
    else ms = this.registry?.instance(n.id)?.load?.latencyMs ?? 0;
    return ms * ((o?.outstanding ?? 0) + 1);
  }

  // Lowest score wins; ties go to a random one of them, so equal instances share the load.
  private lowest(nodes: readonly Node[], score: (n: Node) => number): Node {
    const offset = Math.floor(Math.random() * nodes.length);
    let best = nodes[offset];
    let bestScore = score(best);
    for (let i = 1; i < nodes.length; i++) {
      const n = nodes[(offset + i) % nodes.length];
      const s = score(n);
      if (s < bestScore) {
        best = n;
        bestScore = s;
      }
    }
    return best;
  }

  private byHash(nodes: readonly Node[], key: string): Node {
    const k = hashString(key);
    const ranked = [...nodes].sort((a, b) => rendezvousScore(k, b.hash) - rendezvousScore(k, a.hash));
    let total = 0;
    for (const n of nodes) total += this.observed.get(n.id)?.outstanding ?? 0;
    const bound = Math.ceil((LOAD_BOUND * (total + 1)) / nodes.length);
    // The key's own instance unless it is over the bound; then the next in the key's ranking.
    for (const n of ranked) if ((this.observed.get(n.id)?.outstanding ?? 0) < bound) return n;
    return ranked[0];
  }
}
