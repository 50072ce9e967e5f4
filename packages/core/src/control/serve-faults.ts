import { logSafely } from '../logging/log-safely';
import type { Logger } from '../logging/logger';
import type { EndpointRoute } from '../runtime/endpoint-route';
import { EndpointFaults } from './endpoint-faults.middleware';
import type { CountFault } from './fault-decision';
import { serverFaults, type EndpointScope } from './fault-plan';
import { followFaults } from './follow-faults';
import type { RulesView } from './rules-model';

/** An endpoint of an app as the server-side faults see it. */
export interface FaultableEndpoint {
  readonly route: EndpointRoute;
  readonly scope: EndpointScope;
  /** Counts into `natsmesh_faults_injected_total`; undefined when metrics are off. */
  readonly count: CountFault | undefined;
}

/**
 * Applies the server-side faults of the rules to an app's endpoints from now on: on each change
 * (and at each expiry) every endpoint's faults are compiled again, and its fault layer swapped in
 * or out only when they changed; the app's log says when faults start and stop applying to an
 * endpoint. Returns a function that stops following the rules and takes the faults out.
 */
export function serveFaults(view: RulesView, endpoints: readonly FaultableEndpoint[], log: Logger): () => void {
  const inForce = new Map<EndpointRoute, string>();
  const stop = followFaults(view, (faults, now) => {
    if (faults.length === 0 && inForce.size === 0) return;
    for (const e of endpoints) {
      const compiled = serverFaults(faults, e.scope, now);
      const key = JSON.stringify(compiled.map((f) => f.rule));
      const before = inForce.get(e.route);
      if ((before ?? '[]') === key) continue;
      const where = { service: e.scope.service, endpoint: e.scope.endpoint };
      if (compiled.length === 0) {
        inForce.delete(e.route);
        e.route.useFaults(undefined);
        logSafely(() => log.info(where, 'faults no longer injected into this endpoint'));
      } else {
        inForce.set(e.route, key);
        e.route.useFaults(new EndpointFaults(compiled, e.count));
        const fault = compiled.map((f) => f.name).join(',');
        logSafely(() => log.info({ ...where, fault, rules: compiled.map((f) => f.rule) }, 'faults injected into this endpoint from now on'));
      }
    }
  });
  return () => {
    stop();
    for (const route of inForce.keys()) route.useFaults(undefined);
    inForce.clear();
  };
}
