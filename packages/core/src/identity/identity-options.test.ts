import { createUser } from 'nkeys.js';
import { resolveIdentity } from './identity-options';

describe('resolveIdentity', () => {
  const kp = createUser();
  const seed = new TextDecoder().decode(kp.getSeed());

  it('is off (undefined) when not given', () => {
    expect(resolveIdentity(undefined, 'createApp', ['a'])).toBeUndefined();
  });

  it('signs an app as its one service, and needs a name for several or for a client', () => {
    expect(resolveIdentity({ seed }, 'createApp', ['hotel.booking'])?.signer?.name).toBe('hotel.booking');
    expect(() => resolveIdentity({ seed }, 'createApp', ['a', 'b'])).toThrow(/hosts 2 services \(a, b\) and signs as one name: pass identity.name/);
    expect(() => resolveIdentity({ seed }, 'createClient')).toThrow(/has a seed but no name/);
    expect(resolveIdentity({ seed, name: 'web' }, 'createClient')?.signer?.publicKey).toBe(kp.getPublicKey());
  });

  it('refuses options that would sign or verify nothing, trust on a client, and unknown keys', () => {
    expect(() => resolveIdentity({}, 'createApp', ['a'])).toThrow(/neither a seed .* nor trust/);
    expect(() => resolveIdentity({ trust: { web: kp.getPublicKey() } }, 'createClient')).toThrow(/a client has none/);
    expect(() => resolveIdentity({ trust: {} }, 'createApp', ['a'])).toThrow(/names no caller/);
    expect(() => resolveIdentity({ seed, seedFile: 'x' }, 'createApp', ['a'])).toThrow(/both seed and seedFile/);
    expect(() => resolveIdentity({ seed, sead: 1 } as never, 'createApp', ['a'])).toThrow(/sead/);
    expect(() => resolveIdentity({ seedFile: '/nonexistent/web.nk', name: 'web' }, 'createClient')).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('verifies with the trusted keys', () => {
    expect(resolveIdentity({ trust: { web: kp.getPublicKey() }, skew: 5000 }, 'createApp', ['a'])?.verifier?.name).toBe('callerIdentity');
    expect(() => resolveIdentity({ trust: { web: 'UBAD' } }, 'createApp', ['a'])).toThrow(/trust\["web"\] is not an nkey user public key/);
  });
});
