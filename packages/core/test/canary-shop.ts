import 'reflect-metadata';
import { DIRECT_PREFIX, Handle, MeshError, Service, type MeshClient } from '@natsmesh/core';

/** The service the canary tests roll out, in a baseline and a new version. */
export const SHOP = 'canary.shop';
const BUY = `${SHOP}.buy`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every version takes about 5 ms, so p99 compares like with like.
@Service(SHOP, { version: '1.0.0' })
export class ShopV1 {
  @Handle('buy')
  async buy() {
    await pause(5);
    return { version: '1.0.0' };
  }
}

@Service(SHOP, { version: '2.0.0' })
export class ShopV2 {
  @Handle('buy')
  async buy() {
    await pause(5);
    return { version: '2.0.0' };
  }
}

/** The new version, failing 3 calls in 10 on each instance. */
@Service(SHOP, { version: '2.0.0' })
export class FailingShopV2 {
  private calls = 0;

  @Handle('buy')
  async buy() {
    await pause(5);
    if (this.calls++ % 10 < 3) throw new MeshError('UNAVAILABLE', 'version 2.0.0 fails 30% of calls');
    return { version: '2.0.0' };
  }
}

/** Calls `canary.shop.buy` on one instance, by its instance subject; resolves with whether it succeeded. */
export function buyFrom(client: MeshClient, instance: string): Promise<boolean> {
  return client.request(`${DIRECT_PREFIX}.${instance}.${BUY}`, {}).then(
    () => true,
    () => false,
  );
}

/**
 * Traffic to each version in proportion to the route weights of {@link SHOP} (read from the
 * client's rules view, which follows the bucket), each call to one instance of the version by
 * its instance subject, round robin: batches of 100 calls, `weight` of them to each version.
 * It stands in for client-side routing by the rules, which another branch is building.
 */
export class VersionTraffic {
  /** Calls sent per version. */
  readonly sent: Record<string, number> = {};
  private running = true;
  private readonly loop: Promise<void>;
  private turn = 0;

  constructor(
    private readonly client: MeshClient,
    private readonly instances: Readonly<Record<string, readonly string[]>>,
    private readonly baseline: string,
  ) {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const weights = this.client.rules.current().routes.find((r) => r.service === SHOP)?.weights ?? { [this.baseline]: 100 };
      const calls: Promise<boolean>[] = [];
      for (let k = 0; k < 100; k++) {
        const version = pick(weights, k + 0.5);
        const ids = this.instances[version];
        if (ids === undefined || ids.length === 0) continue;
        this.sent[version] = (this.sent[version] ?? 0) + 1;
        calls.push(buyFrom(this.client, ids[this.turn++ % ids.length]!));
      }
      await Promise.all(calls);
    }
  }
}

// The version whose share of [0, 100) holds `at`, versions in name order.
function pick(weights: Readonly<Record<string, number>>, at: number): string {
  let upTo = 0;
  const versions = Object.keys(weights).sort();
  for (const v of versions) {
    upTo += weights[v]!;
    if (at < upTo) return v;
  }
  return versions[versions.length - 1]!;
}
