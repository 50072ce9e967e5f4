import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { headers as natsHeaders, type MsgHdrs } from 'nats';
import { copyHeaders } from '../client/headers-init';
import { CALLER_HEADER, SIGNATURE_HEADER, SIGNATURE_VERSION, signedBytes } from './signed-request';

/**
 * Signs outgoing requests as one name with one nkey: every attempt (a retry included) gets its
 * own time and nonce, so the receiver's replay check never refuses a retry.
 */
export class RequestSigner {
  constructor(
    /** The name the requests are signed as; the receivers' trust maps it to {@link publicKey}. */
    readonly name: string,
    private readonly key: KeyObject,
    /** The nkey public key (`U…`) that verifies these signatures. */
    readonly publicKey: string,
  ) {}

  /** The headers to publish `body` on `subject` with: a copy of `given` (left unchanged) plus the caller and the signature. */
  sign(subject: string, body: Uint8Array, given: MsgHdrs | undefined): MsgHdrs {
    const timestamp = String(Date.now());
    const nonce = randomBytes(12).toString('base64url');
    const signature = sign(null, signedBytes(this.name, subject, timestamp, nonce, body), this.key).toString('base64url');
    const out = given === undefined ? natsHeaders() : copyHeaders(given);
    out.set(CALLER_HEADER, this.name);
    out.set(SIGNATURE_HEADER, `${SIGNATURE_VERSION} ${timestamp} ${nonce} ${signature}`);
    return out;
  }
}
