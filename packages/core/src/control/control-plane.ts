import type { NatsConnection } from 'nats';
import { MeshError } from '../errors/mesh-error';
import type { Logger } from '../logging/logger';
import { logSafely } from '../logging/log-safely';
import type { MeshClient } from '../client/mesh-client';
import { openRulesFollower } from './watch-rules';

/**
 * Starts following the rules into `client.rules` (`app.start()`, `createClient`), before anything
 * is served; with route or mirror rules in force, also waits for the client's registry to gather
 * the mesh (at most its `bootstrapWait`), so the first calls already follow them. Never throws: without JetStream, or when the bucket cannot be read, the control plane
 * is off, says so in one log line, and `client.rules` stays `NO_RULES`; nothing else changes.
 */
export async function startControlPlane(client: MeshClient, nc: NatsConnection, logger: Logger, domain: string | undefined): Promise<void> {
  client.liveRules.onListenerError = (err) => logSafely(() => logger.warn({ err }, 'control plane: a rules listener threw'));
  try {
    client.followRules(await openRulesFollower(nc, client.liveRules, logger, domain));
    // Route and mirror rules apply from the first call: their versions and subjects come from the registry.
    await client.routesApplied();
  } catch (err) {
    if (MeshError.is(err) && err.code === 'JETSTREAM_UNAVAILABLE') logSafely(() => logger.info({ reason: err.message }, 'control plane off: no JetStream'));
    else logSafely(() => logger.warn({ err }, 'control plane off: the rules bucket cannot be read'));
  }
}
