import type { MeshClient } from '../client/mesh-client';
import type { Logger } from '../logging/logger';
import { ClientFaultPlan } from './client-fault-plan';
import { followFaults } from './follow-faults';
import type { RulesView } from './rules-model';

/**
 * Applies the client-side faults of the rules (`where: 'client'`) to a client's calls from now on,
 * compiled again on each change and at each expiry. `callers` are the names the client calls as
 * (its app's services, its identity name): a fault matching another caller is left out. Returns a
 * function that stops following the rules.
 */
export function followClientFaults(view: RulesView, client: MeshClient, callers: ReadonlySet<string>, log?: Logger): () => void {
  let on = false;
  return followFaults(view, (faults, now) => {
    const plan = new ClientFaultPlan(faults, callers, now);
    if (plan.empty && !on) return;
    on = !plan.empty;
    client.useFaults(on ? plan : undefined, log);
  });
}
