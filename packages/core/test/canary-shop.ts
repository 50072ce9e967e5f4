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
 * Calls `canary.shop.buy` through a plain natsmesh client, `concurrency` at a time, as a user's
 * caller would: the client routes each call by the route weights in force (client-side routing
 * by the rules). Counts replies by the version that answered, and failed calls as `failed`.
 */
export class ShopTraffic {
  private started = 0;
  // The start number of each call and who answered it, in the order they ended.
  private readonly ended: { readonly seq: number; readonly by: string }[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly client: MeshClient,
    concurrency = 32,
  ) {
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  /** The number of calls started so far: {@link since} counts only the calls started after it. */
  mark(): number {
    return this.started;
  }

  /** Replies by version (and `failed`) of the calls started after `mark`. */
  since(mark: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.ended) if (e.seq > mark) counts[e.by] = (counts[e.by] ?? 0) + 1;
    return counts;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const seq = ++this.started;
      const by = await this.client.request<{ version: string }>(BUY, {}).then(
        (r) => r.version,
        () => 'failed',
      );
      this.ended.push({ seq, by });
    }
  }
}
