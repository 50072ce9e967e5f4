import type { EventFlow } from '../model/event-flow';
import { compare } from '../model/normalize-descriptions';
import { escapeHtml } from './escape-html';

const ROW = 40;
const NODE_H = 28;
const TOP = 44;
const GAP = 116;
const MARGIN = 16;
const PAD = 12;
// Width estimates of one character: 12px monospace for subjects, 13px bold sans-serif for services.
const MONO_CHAR = 7.4;
const SANS_CHAR = 8.2;

interface Node {
  readonly id: string;
  readonly column: number;
  readonly label: string;
  readonly service: string | undefined;
  x: number;
  y: number;
  w: number;
}

interface Edge {
  readonly from: Node;
  readonly to: Node;
  readonly color: string;
  readonly dashed: boolean;
  readonly title: string;
}

const HEADINGS = ['Publishers', 'Event subjects', 'Subscriptions', 'Subscribers'];

/**
 * An inline SVG of who publishes and who subscribes: publishing services, the event subjects they
 * declare, the subscription patterns those subjects match, and the subscribing services. Fan-out
 * deliveries are solid lines, queue-group deliveries dashed. Empty string when there are no events.
 */
export function subjectGraphSvg(flow: EventFlow, colorOf: (service: string) => string): string {
  if (flow.events.length === 0 && flow.patterns.length === 0) return '';
  const publishers = [...new Set(flow.events.flatMap((e) => e.publishers))].sort(compare);
  const pubRank = new Map(publishers.map((p, i) => [p, i]));
  const events = [...flow.events].sort(
    (a, b) => Math.min(...a.publishers.map((p) => pubRank.get(p)!)) - Math.min(...b.publishers.map((p) => pubRank.get(p)!)) || compare(a.subject, b.subject),
  );
  const eventPos = positions(events.map((e) => e.subject));
  let patterns = orderBy([...flow.patterns], (p) => mean(p.subjects.map((s) => eventPos.get(s)!)), (p) => p.pattern);
  const subscriberNames = [...new Set(flow.patterns.flatMap((p) => p.subscribers.map((r) => r.service)))];
  let subscribers = subscriberNames;
  // Two sweeps of the barycenter heuristic: few crossings, same order for the same input.
  for (let sweep = 0; sweep < 2; sweep++) {
    const patternPos = positions(patterns.map((p) => p.pattern));
    subscribers = orderBy([...subscriberNames], (s) => mean(flow.patterns.filter((p) => p.subscribers.some((r) => r.service === s)).map((p) => patternPos.get(p.pattern)!)), (s) => s);
    const subscriberPos = positions(subscribers);
    patterns = orderBy(
      patterns,
      (p) => mean([...p.subjects.map((s) => eventPos.get(s)!), ...p.subscribers.map((r) => subscriberPos.get(r.service)!)]),
      (p) => p.pattern,
    );
  }

  let n = 0;
  const node = (column: number, label: string, service?: string): Node => ({ id: `n${n++}`, column, label, service, x: 0, y: 0, w: 0 });
  const columns: Node[][] = [
    publishers.map((p) => node(0, p, p)),
    events.map((e) => node(1, e.subject)),
    patterns.map((p) => node(2, p.pattern)),
    subscribers.map((s) => node(3, s, s)),
  ];
  const rows = Math.max(...columns.map((c) => c.length));
  let x = MARGIN;
  columns.forEach((col, i) => {
    const charW = i === 0 || i === 3 ? SANS_CHAR : MONO_CHAR;
    const w = Math.ceil(Math.max(HEADINGS[i]!.length * 7, ...col.map((c) => c.label.length * charW)) + 2 * PAD);
    const offset = ((rows - col.length) * ROW) / 2;
    col.forEach((c, r) => {
      c.x = x;
      c.w = w;
      c.y = TOP + offset + r * ROW;
    });
    x += w + GAP;
  });
  const width = x - GAP + MARGIN;
  const height = TOP + rows * ROW + MARGIN;

  const [pubNodes, eventNodes, patternNodes, subNodes] = columns as [Node[], Node[], Node[], Node[]];
  const edges: Edge[] = [];
  events.forEach((e, i) => {
    const color = colorOf(e.publishers[0]!);
    for (const p of e.publishers) edges.push({ from: pubNodes[pubRank.get(p)!]!, to: eventNodes[i]!, color: colorOf(p), dashed: false, title: `${p} publishes ${e.subject}` });
    for (const pattern of new Set(e.receivers.map((r) => r.pattern))) {
      const j = patterns.findIndex((p) => p.pattern === pattern);
      edges.push({ from: eventNodes[i]!, to: patternNodes[j]!, color, dashed: false, title: `${e.subject} matches ${pattern}` });
    }
  });
  patterns.forEach((p, i) => {
    for (const r of p.subscribers) {
      const to = subNodes[subscribers.indexOf(r.service)]!;
      const how = r.queue ? `one instance (queue ${r.queue})` : 'every instance';
      edges.push({ from: patternNodes[i]!, to, color: colorOf(r.service), dashed: r.queue !== undefined, title: `${r.service}.${r.method} gets ${p.pattern}: ${how}` });
    }
  });

  const out = [
    `<svg class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="graph-title">`,
    '<title id="graph-title">Which services publish which event subjects, and which subscriptions receive them</title>',
    ...columns.map((col, i) =>
      col.length === 0 ? '' : `<text class="heading" x="${col[0]!.x + col[0]!.w / 2}" y="${TOP - 18}" text-anchor="middle">${HEADINGS[i]}</text>`,
    ),
    '<g class="edges">',
    ...edges.map((e) => edgeSvg(e)),
    '</g>',
    '<g class="nodes">',
    ...columns.flat().map((c) => nodeSvg(c, colorOf)),
    '</g>',
    '</svg>',
  ];
  return out.filter((l) => l !== '').join('\n');
}

function edgeSvg(e: Edge): string {
  const x1 = e.from.x + e.from.w;
  const y1 = e.from.y + NODE_H / 2;
  const x2 = e.to.x;
  const y2 = e.to.y + NODE_H / 2;
  const dx = (x2 - x1) / 2;
  const d = `M${x1} ${y1}C${x1 + dx} ${y1} ${x2 - dx} ${y2} ${x2} ${y2}`;
  return `<path class="edge${e.dashed ? ' queue' : ''}" data-from="${e.from.id}" data-to="${e.to.id}" d="${d}" stroke="${e.color}"><title>${escapeHtml(e.title)}</title></path>`;
}

function nodeSvg(c: Node, colorOf: (service: string) => string): string {
  const service = c.service !== undefined;
  const attrs = `class="node ${service ? 'service' : 'subject'}" data-node="${c.id}"${service ? ` data-service="${escapeHtml(c.service!)}"` : ''} tabindex="0"`;
  const rect = service
    ? `<rect x="${c.x}" y="${c.y}" width="${c.w}" height="${NODE_H}" rx="6" fill="${colorOf(c.service!)}"/>`
    : `<rect x="${c.x}" y="${c.y}" width="${c.w}" height="${NODE_H}" rx="14"/>`;
  const text = `<text x="${c.x + c.w / 2}" y="${c.y + NODE_H / 2}" text-anchor="middle" dominant-baseline="central">${escapeHtml(c.label)}</text>`;
  return `<g ${attrs}>${rect}${text}</g>`;
}

function positions(list: readonly string[]): Map<string, number> {
  return new Map(list.map((x, i) => [x, list.length > 1 ? i / (list.length - 1) : 0.5]));
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.POSITIVE_INFINITY : values.reduce((a, b) => a + b, 0) / values.length;
}

function orderBy<T>(list: T[], key: (x: T) => number, name: (x: T) => string): T[] {
  const keyed = list.map((x) => ({ x, k: key(x), n: name(x) }));
  keyed.sort((a, b) => (a.k === b.k ? 0 : a.k < b.k ? -1 : 1) || compare(a.n, b.n));
  return keyed.map((e) => e.x);
}
