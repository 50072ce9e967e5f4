import type { MsgHdrs, NatsConnection } from 'nats';
import { MuxRequester } from '../client/mux-requester';
import type { RequestSigner } from './request-signer';

/**
 * The muxed requester of a client with a signing identity: it signs each request just before it
 * is published, on the subject it is published on (an instance-addressed one included). A client
 * without identity uses the plain {@link MuxRequester}: nothing is checked per request.
 */
export class SignedRequester extends MuxRequester {
  constructor(
    nc: NatsConnection,
    private readonly signer: RequestSigner,
  ) {
    super(nc);
  }

  override request(subject: string, data: Uint8Array, timeout: number, headers: MsgHdrs | undefined): Promise<unknown> {
    return super.request(subject, data, timeout, this.signer.sign(subject, data, headers));
  }
}
