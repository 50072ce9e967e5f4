import 'reflect-metadata';
import { Handle } from '../decorators/handle.decorator';
import { On } from '../decorators/on.decorator';
import { Service } from '../decorators/service.decorator';
import type { Context } from '../runtime/context';
import type { MeshClient } from './mesh-client';
import { createServiceProxy } from './service-proxy';

@Service('shop.orders')
class OrderService {
  @Handle('place')
  place(input: { sku: string }, _ctx: Context): { id: number } {
    return { id: input.sku.length };
  }

  @Handle('count')
  count(): number {
    return 0;
  }

  @Handle('cancel')
  cancel(input: { id: number }, ctx: Pick<Context, 'log'>): boolean {
    ctx.log.info({ id: input.id }, 'cancelled');
    return true;
  }

  @On('shop.stock.changed')
  onStock(_event: { sku: string }, _ctx: Context): void {}

  /** A helper that is not shaped like a handler: two inputs. */
  format(sku: string, quantity: number): string {
    return `${sku}x${quantity}`;
  }
}

// Type-level checks: `tsc -p tsconfig.test.json` fails when an expectation below is wrong.
// The function is never called; the runtime tests below cover what the proxy does.
async function typeChecks(client: MeshClient): Promise<void> {
  const orders = client.service(OrderService);
  const placed: { id: number } = await orders.place({ sku: 'a' }, { timeout: 100 });
  const counted: number = await orders.count();
  const cancelled: boolean = await orders.cancel({ id: 1 });
  // @ts-expect-error the input type comes from the handler
  await orders.place({ sku: 1 });
  // @ts-expect-error format takes two inputs: it is no handler, so the proxy has no such method
  await orders.format('a');

  // Naming the endpoints narrows the proxy to exactly them: @On handlers are left out.
  const only = client.service<typeof OrderService, 'place' | 'count'>(OrderService);
  await only.place({ sku: 'a' });
  // @ts-expect-error onStock is an @On handler, not one of the named endpoints
  await only.onStock({ sku: 'a' });
  // @ts-expect-error only handler-shaped methods can be named
  client.service<typeof OrderService, 'format'>(OrderService);

  // An untyped proxy takes any endpoint and any input.
  const loose = client.service<any>('shop.orders');
  const anything: number = await loose.place({ sku: 'a' });
  await loose.whatever(1, { timeout: 10 });
  void [placed, counted, cancelled, anything];
}

describe('createServiceProxy', () => {
  const calls: [string, unknown][] = [];
  const client = { request: async (subject: string, input: unknown) => void calls.push([subject, input]) } as unknown as MeshClient;
  const subjects = new Map([['place', 'shop.orders.place']]);

  it('calls the subject of an endpoint and has nothing for any other property', async () => {
    const proxy = createServiceProxy<OrderService>(client, (m) => subjects.get(m)) as unknown as Record<string, unknown>;
    expect(typeof proxy.place).toBe('function');
    await (proxy.place as (i: unknown) => Promise<unknown>)({ sku: 'a' });
    expect(calls).toEqual([['shop.orders.place', { sku: 'a' }]]);
    expect(proxy.onStock).toBeUndefined();
    expect(proxy.format).toBeUndefined();
    expect(proxy.then).toBeUndefined();
  });

  it('is only type-checked, never run', () => {
    expect(typeof typeChecks).toBe('function');
  });
});
