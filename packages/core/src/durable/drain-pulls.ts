import type { ConsumerMessages, Subscription } from 'nats';

/**
 * Unsubscribes the pull inbox of a `consume()` and waits until the server confirmed it, still
 * delivering what arrives meanwhile. `ConsumerMessages.close()` in nats.js 2.29 unsubscribes at
 * once: events the server had already sent are then dropped by the client and stay pending until
 * their ack wait, so a stopped app would hold them back from every other instance for that long.
 */
export async function drainPulls(messages: ConsumerMessages): Promise<void> {
  // nats.js 2.29 keeps the inbox subscription of a pull consumer in the private field `sub`.
  const sub = (messages as unknown as { sub?: Subscription }).sub;
  if (sub === undefined || sub.isClosed()) return;
  await sub.drain().catch(() => undefined);
}
