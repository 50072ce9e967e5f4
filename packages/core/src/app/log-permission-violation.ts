import type { PermissionViolation } from '../client/permission-watch';
import type { Logger } from '../logging/logger';
import type { ServiceDefinition } from '../scanner/service-definition';

/**
 * Logs a permissions violation of the app's connection with the declaration that is missing:
 * a refused request lacks a `calls` entry, a refused event an `emits` one (or `@Emits`); both
 * then need the permissions regenerated (`natsmesh acl`).
 */
export function logPermissionViolation(logger: Logger, definitions: readonly ServiceDefinition[], v: PermissionViolation, request: boolean): void {
  const services = definitions.map((d) => d.name);
  const owner = services.length === 1 ? `@Service('${services[0]}', …)` : `the @Service of ${services.join(' or ')}`;
  if (v.operation === 'subscription') {
    logger.error({ subject: v.subject, queue: v.queue, services }, `NATS refused the subscription to "${v.subject}"${v.queue ? ` (queue ${v.queue})` : ''}: connect with the user generated for these services and regenerate it after changing handlers (natsmesh acl)`);
    return;
  }
  // No declaration grants the JetStream API: natsmesh acl grants what durable @On and reading the rules need.
  if (v.subject.startsWith('$JS.')) {
    logger.error(
      { subject: v.subject, services },
      `NATS refused a ${request ? 'request' : 'publish'} to "${v.subject}" (the JetStream API, for durable @On and the control plane's rules): regenerate the permissions with this version of natsmesh acl, or set control: false`,
    );
    return;
  }
  const missing = request ? `calls: ['${v.subject}']` : `emits: ['${v.subject}'] (or @Emits('${v.subject}'))`;
  logger.error(
    { subject: v.subject, services, missing: request ? 'calls' : 'emits' },
    `NATS refused a ${request ? 'request' : 'publish'} to "${v.subject}": declare ${missing} in ${owner}${request ? " (and get the callee's allow)" : ''}, then regenerate the permissions (natsmesh acl)`,
  );
}
