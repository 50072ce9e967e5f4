import { createHash } from 'node:crypto';

/** Header with the name the request is signed as (a service, or a caller role). */
export const CALLER_HEADER = 'Mesh-Caller';
/** Header with `v1 <epoch ms> <nonce> <signature>` (nonce and signature in base64url). */
export const SIGNATURE_HEADER = 'Mesh-Signature';
/** The version tag that starts {@link SIGNATURE_HEADER} and the signed text. */
export const SIGNATURE_VERSION = 'v1';

/**
 * The bytes a caller signs and the receiver checks: the caller's name, the subject the request
 * was published on, the time, the nonce and the SHA-256 of the body. The domain tag keeps an
 * nkey's signature over anything else (a NATS server's connect nonce) from passing as one of these.
 */
export function signedBytes(caller: string, subject: string, timestamp: string, nonce: string, body: Uint8Array): Buffer {
  const hash = createHash('sha256').update(body).digest('base64url');
  return Buffer.from(`natsmesh-identity-${SIGNATURE_VERSION}\n${caller}\n${subject}\n${timestamp}\n${nonce}\n${hash}`);
}
