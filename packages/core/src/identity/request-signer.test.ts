import { createUser, fromPublic } from 'nkeys.js';
import { signingKeyOf, verifyKeyOf } from './identity-keys';
import { RequestSigner } from './request-signer';
import { CALLER_HEADER, SIGNATURE_HEADER, signedBytes } from './signed-request';
import { verify } from 'node:crypto';

describe('RequestSigner', () => {
  const kp = createUser();
  const seed = new TextDecoder().decode(kp.getSeed());
  const { key, publicKey } = signingKeyOf(seed, 'test seed');
  const body = new TextEncoder().encode('{"amount":5}');

  it('signs with the nkey: nkeys.js itself verifies the signature, and so does the public key from its text', () => {
    expect(publicKey).toBe(kp.getPublicKey());
    const h = new RequestSigner('web', key, publicKey).sign('hotel.payments.charge', body, undefined);
    expect(h.get(CALLER_HEADER)).toBe('web');
    const [version, time, nonce, sig] = h.get(SIGNATURE_HEADER).split(' ');
    expect(version).toBe('v1');
    const signed = signedBytes('web', 'hotel.payments.charge', time, nonce, body);
    expect(fromPublic(kp.getPublicKey()).verify(signed, Buffer.from(sig, 'base64url'))).toBe(true);
    expect(verify(null, signed, verifyKeyOf(publicKey, 'test key'), Buffer.from(sig, 'base64url'))).toBe(true);
    expect(verify(null, signedBytes('web', 'hotel.payments.refund', time, nonce, body), verifyKeyOf(publicKey, 'test key'), Buffer.from(sig, 'base64url'))).toBe(false);
  });

  it('gives every request its own nonce and leaves the caller headers as they were', () => {
    const signer = new RequestSigner('web', key, publicKey);
    const given = signer.sign('a', body, undefined);
    given.set('X-Keep', '1');
    const a = signer.sign('a', body, given);
    expect(a.get('X-Keep')).toBe('1');
    expect(a.get(SIGNATURE_HEADER)).not.toBe(given.get(SIGNATURE_HEADER));
    expect(given.get('X-Keep')).toBe('1');
  });

  it('refuses what is not a user seed or public key, without echoing it', () => {
    expect(() => signingKeyOf('SUNOTASEED', 'identity.seed')).toThrow(/identity.seed is not an nkey seed/);
    expect(() => verifyKeyOf('nope', 'identity.trust["web"]')).toThrow(/identity.trust\["web"\] is not an nkey user public key/);
    try {
      signingKeyOf('SUNOTASEED', 'identity.seed');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('SUNOTASEED');
    }
  });
});
