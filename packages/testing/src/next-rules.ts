import type { MeshRules, RulesView } from '@natsmesh/core';

/**
 * Resolves with the first rules a view (`app.rules`, `client.rules`) holds that satisfy `check`:
 * the current ones when they already do, else the first change that does. A test waits on the
 * control plane this way instead of sleeping; wrap it in the test's timeout.
 *
 * @example
 * await admin.routes.set({ service: 'hotel.rooms', weights: { '2.0.0': 100 } });
 * await nextRules(app.rules, (r) => r.routes.length === 1);
 */
export function nextRules(view: RulesView, check: (rules: MeshRules) => boolean): Promise<MeshRules> {
  return new Promise((resolve) => {
    if (check(view.current())) return resolve(view.current());
    const stop = view.onChange((rules) => {
      if (!check(rules)) return;
      stop();
      resolve(rules);
    });
  });
}
