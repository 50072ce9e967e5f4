/**
 * Header on every mirrored copy of a request (value `1`): the handler of the mirror version may
 * tell copies from real calls, and a client never mirrors a request that carries it again (a
 * copy's own downstream calls pass it on), so mirrors do not multiply along a chain of services.
 */
export const MIRROR_HEADER = 'Mesh-Mirror';
