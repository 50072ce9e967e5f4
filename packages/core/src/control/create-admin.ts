import { checkNatsInput } from '../client/check-nats-input';
import { connectNats, isNatsConnection, type NatsInput } from '../client/nats-connection';
import { MeshError } from '../errors/mesh-error';
import { resolveLogger } from '../logging/app-logger';
import type { Logger } from '../logging/logger';
import { describeValue } from '../options/check-millis';
import { MeshAdmin } from './mesh-admin';

/** Options of {@link createAdmin}. */
export interface AdminOptions {
  /** Connection options, or an open connection that the caller keeps owning. */
  nats?: NatsInput;
  /** The JetStream domain of the rules bucket; default none. */
  domain?: string;
  /**
   * Ask discovery (`$NATSMESH.DISCOVER`) on each write which services and versions run, and return
   * warnings for those a rule names that none does (default true; a write then waits for the
   * answers, about 150 ms, or not at all when no instance runs).
   */
  warnings?: boolean;
  /** Where `admin.watch` logs invalid values in the bucket: a pino logger, or false; default natsmesh's logger. */
  logger?: Logger | false;
}

/**
 * The admin API of the control plane: reads and writes routes, mirrors, faults and canaries in
 * the `natsmesh_rules` KV bucket (created on the first write, 5 versions kept per key), checking
 * each rule before writing it.
 *
 * @example
 * const admin = await createAdmin({ nats: { servers: 'nats://127.0.0.1:4222' } });
 * await admin.routes.set({ service: 'hotel.booking', weights: { '1.2.0': 90, '2.0.0': 10 } });
 * await admin.close();
 * @throws MeshError `INVALID_OPTIONS` for a bad option, `UNAVAILABLE` when no NATS server answers.
 */
export async function createAdmin(options: AdminOptions = {}): Promise<MeshAdmin> {
  if (typeof options !== 'object' || options === null) throw new MeshError('INVALID_OPTIONS', `createAdmin options are ${describeValue(options)}: pass an object such as { nats: { servers } }.`);
  checkNatsInput(options.nats, 'createAdmin');
  if (options.warnings !== undefined && typeof options.warnings !== 'boolean') {
    throw new MeshError('INVALID_OPTIONS', `createAdmin option warnings is ${describeValue(options.warnings)}: use true or false.`);
  }
  if (options.domain !== undefined && typeof options.domain !== 'string') {
    throw new MeshError('INVALID_OPTIONS', `createAdmin option domain is ${describeValue(options.domain)}: use the JetStream domain's name.`);
  }
  const logger = resolveLogger(options.logger, 'createAdmin');
  const given = options.nats;
  const owns = !isNatsConnection(given);
  const nc = isNatsConnection(given) ? given : await connectNats(given, 'natsmesh-admin');
  return new MeshAdmin({ nc, owns, domain: options.domain, warnings: options.warnings ?? true, logger });
}
