import { MeshError } from '../errors/mesh-error';
import { refusal } from './refusal';
/**
 * What a built-in `handle` middleware returns for a request nobody waits for any more (its
 * deadline passed before the handler ran): the route sends no reply and counts it as expired.
 */
export const NO_REPLY: unique symbol = Symbol('natsmesh.no-reply');

/**
 * What the last step before a handler throws when the request's deadline passed while its
 * middleware ran: the route then sends no reply and counts it as expired. Thrown, not returned,
 * so no middleware's `after` hook ever sees it as a result.
 */
export const EXPIRED: MeshError = refusal(new MeshError('TIMEOUT', 'The deadline passed while the middleware ran; the handler did not run and nobody waits for a reply.'));
