import type { NatsConnection } from 'nats';

/** A permissions violation the server reported on a connection. */
export interface PermissionViolation {
  readonly operation: 'publish' | 'subscription';
  readonly subject: string;
  /** The queue group of a refused subscription. */
  readonly queue: string | undefined;
}

/**
 * Follows the connection's status for permissions violations (`-ERR 'Permissions Violation for
 * Publish to "x"'`), which nats.js reports asynchronously and matches only to its own requests.
 * One status listener per connection: nothing runs per message.
 *
 * @returns a function that stops the watch.
 */
export function watchPermissions(nc: NatsConnection, onViolation: (v: PermissionViolation) => void): () => void {
  const status = nc.status();
  void (async () => {
    for await (const s of status) {
      if (s.type !== 'error' || s.data !== 'PERMISSIONS_VIOLATION') continue;
      const ctx = (s as { permissionContext?: { operation?: string; subject?: string; queue?: string } }).permissionContext;
      if (!ctx || typeof ctx.subject !== 'string' || (ctx.operation !== 'publish' && ctx.operation !== 'subscription')) continue;
      try {
        onViolation({ operation: ctx.operation, subject: ctx.subject, queue: ctx.queue });
      } catch {
        // a listener's failure must not end the watch
      }
    }
  })();
  return () => (status as { stop?: () => void }).stop?.();
}
