import type { NatsConnection } from 'nats';
import { checkNatsInput } from '../client/check-nats-input';
import { connectNats, isNatsConnection, type NatsInput } from '../client/nats-connection';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';

/** A connection of a control-plane entry point, and whether it opened it (and so closes it). */
export interface ControlConnection {
  readonly nc: NatsConnection;
  readonly owns: boolean;
}

/**
 * Checks the options every control-plane entry point takes (`nats`, `domain`), then connects,
 * or takes the connection given (which its caller keeps owning).
 *
 * @throws MeshError `INVALID_OPTIONS` naming `where`, `UNAVAILABLE` when no NATS server answers.
 */
export async function openControlConnection(options: { nats?: NatsInput; domain?: unknown }, where: string, name: string): Promise<ControlConnection> {
  checkNatsInput(options.nats, where);
  if (options.domain !== undefined && typeof options.domain !== 'string') {
    throw new MeshError('INVALID_OPTIONS', `${where} option domain is ${describeValue(options.domain)}: use the JetStream domain's name.`);
  }
  const given = options.nats;
  if (isNatsConnection(given)) return { nc: given, owns: false };
  return { nc: await connectNats(given, name), owns: true };
}
