import type { ServiceDescription } from '../app/describe';
import { VERSION_PREFIX, versionToken } from '../discovery/discovery-subjects';
import type { MeshRules, RouteRule } from './rules-model';

/** One destination of a weighted nats-server subject mapping. */
export interface WeightedDestination {
  readonly destination: string;
  /** Whole percent, 1–100; the destinations of one subject sum to 100. */
  readonly weight: number;
}

/** nats-server weighted subject mappings equivalent to the route weights (`natsmesh route export`). */
export interface SubjectMappings {
  /** Endpoint subject → its weighted destinations, the version-addressed subjects `$NATSMESH.V.<version>.<subject>`. */
  readonly mappings: Readonly<Record<string, readonly WeightedDestination[]>>;
  /**
   * The `mappings { … }` block as nats-server config text (2.2 or later), for the server's top
   * level (the global account) or inside the account the services use. Empty when no route has weights.
   */
  readonly config: string;
  /** What the mappings do not carry, for the operator: match rules, unknown services, versions no instance runs, rounded weights. */
  readonly notes: readonly string[];
}

/**
 * Renders the weights of route rules as nats-server weighted subject mappings, so the server
 * splits the traffic of every client, plain NATS ones too: each endpoint subject of a routed
 * service (from `descriptions`, the service descriptions discovery announces, one per running
 * version) maps to `$NATSMESH.V.<version>.<subject>`, on which every natsmesh instance of that
 * version listens in the endpoint's queue group. Weights are rounded to whole percent (the
 * server's unit) keeping their sum at 100. Match rules (headers, caller) cannot be expressed as
 * mappings and are left out, with a note; natsmesh callers keep applying them.
 */
export function renderSubjectMappings(rules: Pick<MeshRules, 'routes'> | readonly RouteRule[], descriptions: readonly ServiceDescription[]): SubjectMappings {
  const routes = isRouteList(rules) ? rules : rules.routes;
  const mappings: Record<string, WeightedDestination[]> = {};
  const notes: string[] = [];
  for (const route of routes) {
    if (route.match !== undefined && route.match.length > 0) {
      notes.push(`${route.service}: its ${route.match.length} match rule(s) (headers, caller) are not mappings; natsmesh callers still apply them, plain NATS callers get the weights.`);
    }
    const weights = Object.entries(route.weights ?? {}).filter(([, w]) => w > 0);
    if (weights.length === 0) continue;
    const running = descriptions.filter((d) => d.name === route.service);
    if (running.length === 0) {
      notes.push(`${route.service}: no description of this service was given (is an instance running?): no mapping written.`);
      continue;
    }
    const percents = wholePercents(weights.map(([, w]) => w));
    if (percents.some((p, i) => p !== weights[i][1])) notes.push(`${route.service}: weights rounded to whole percent (${percents.join('/')}), the unit of nats-server mappings.`);
    for (const [version] of weights) {
      if (!running.some((d) => d.version === version)) notes.push(`${route.service}: no instance of version ${version} is running: its share gets no responders until one starts.`);
    }
    const subjects = [...new Set(running.flatMap((d) => d.endpoints.map((e) => e.subject)))].sort();
    for (const subject of subjects) {
      mappings[subject] = weights
        .map(([version], i) => ({ destination: `${VERSION_PREFIX}.${versionToken(version)}.${subject}`, weight: percents[i] }))
        .filter((d) => d.weight > 0);
    }
  }
  return { mappings, config: renderConfig(mappings), notes };
}

function isRouteList(rules: Pick<MeshRules, 'routes'> | readonly RouteRule[]): rules is readonly RouteRule[] {
  return Array.isArray(rules);
}

// Largest remainder: whole numbers summing to 100, each as close to its exact share as can be.
function wholePercents(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * 100) / total);
  const whole = exact.map(Math.floor);
  let left = 100 - whole.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => [e - whole[i], i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    whole[i]++;
    left--;
  }
  return whole;
}

function renderConfig(mappings: Readonly<Record<string, readonly WeightedDestination[]>>): string {
  const subjects = Object.keys(mappings);
  if (subjects.length === 0) return '';
  const lines = ['mappings {'];
  for (const subject of subjects) {
    lines.push(`  ${JSON.stringify(subject)}: [`);
    for (const d of mappings[subject]) lines.push(`    { destination: ${JSON.stringify(d.destination)}, weight: ${d.weight}% }`);
    lines.push('  ]');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
