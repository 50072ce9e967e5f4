import { verify, type KeyObject } from 'node:crypto';
import { VERSION_PREFIX } from '../discovery/discovery-subjects';
import { MeshError } from '../errors/mesh-error';
import type { HandleContext, Middleware, Next } from '../middleware/middleware';
import { refusal } from '../runtime/refusal';
import { ReplayGuard } from './replay-guard';
import { CALLER_HEADER, SIGNATURE_HEADER, SIGNATURE_VERSION, signedBytes } from './signed-request';

/**
 * Built-in `handle` middleware of an app with `identity.trust`: every request must carry a
 * signature by a trusted caller's nkey over its subject, time, nonce and body. A request that
 * passes gets `ctx.caller`; any other is answered `UNAUTHORIZED` (401) before the user's
 * middleware, validation and the handler run. One instance serves every endpoint of the app, so
 * a nonce is accepted once per app instance.
 */
export class CallerIdentity implements Middleware {
  readonly name = 'callerIdentity';
  private readonly replays: ReplayGuard;

  constructor(
    private readonly trust: ReadonlyMap<string, KeyObject>,
    private readonly skew: number,
    replayCapacity: number,
  ) {
    this.replays = new ReplayGuard(skew, replayCapacity);
  }

  // The Ed25519 check (~150 µs) runs in libuv's thread pool, off the event loop: the app's other
  // requests go on meanwhile, and a machine with idle cores verifies several at once.
  handle(ctx: HandleContext, next: Next): unknown {
    const c = this.precheck(ctx);
    return new Promise<void>((resolve, reject) => {
      verify(null, c.signed, c.key, c.signature, (err, ok) => {
        if (err === null && ok) return resolve();
        reject(unauthorized(ctx, `its signature does not match "${c.caller}"'s key over this subject and body`, `sign with the seed whose public key this app trusts for "${c.caller}"; a message changed on the way is refused`, c.caller));
      });
    }).then(() => {
      const verdict = this.replays.check(c.nonce, c.timestamp, Date.now());
      if (verdict === 'replay') throw unauthorized(ctx, 'it repeats a signed request already accepted (same nonce)', 'send every request with a fresh signature (natsmesh clients do)', c.caller);
      if (verdict === 'evicted') throw unauthorized(ctx, 'its signature is older than the replay check can still cover under this load', 'retry: a fresh signature is accepted', c.caller);
      ctx.verifiedCaller = c.caller;
      return next();
    });
  }

  private precheck(ctx: HandleContext): { caller: string; key: KeyObject; signed: Buffer; signature: Buffer; nonce: string; timestamp: number } {
    const h = ctx.headers;
    const caller = h?.get(CALLER_HEADER) ?? '';
    const parts = (h?.get(SIGNATURE_HEADER) ?? '').split(' ');
    if (caller === '' || parts.length !== 4 || parts[0] !== SIGNATURE_VERSION) {
      throw unauthorized(ctx, 'it is not signed', 'sign requests with createApp/createClient({ identity: { name, seedFile } }) (see docs/security.md, Caller identity)', caller);
    }
    const key = this.trust.get(caller);
    if (key === undefined) {
      throw unauthorized(ctx, `the caller "${caller}" has no trusted key here`, `add its public key to this app's identity.trust (regenerate keys.json with natsmesh acl)`, caller);
    }
    const [, time, nonce, signature] = parts;
    const timestamp = Number(time);
    const now = Date.now();
    if (!/^\d{1,16}$/.test(time) || Math.abs(now - timestamp) > this.skew) {
      throw unauthorized(ctx, `its signature time is ${Number.isFinite(timestamp) ? `${now - timestamp} ms off this server's clock` : 'not a number'}, more than the ${this.skew} ms allowed`, `sync the clocks (NTP), or raise identity.skew; a stale signed message is never accepted again`, caller);
    }
    // nats-server's weighted mappings (natsmesh route export) deliver a version's share on
    // $NATSMESH.V.<version>.<subject>: the caller signed the subject it published to, the endpoint's.
    const published = ctx.publishedSubject;
    const subject = published.startsWith(VERSION_SUBJECT_START) ? ctx.subject : published;
    return { caller, key, signed: signedBytes(caller, subject, time, nonce, ctx.data), signature: Buffer.from(signature, 'base64url'), nonce, timestamp };
  }
}

const VERSION_SUBJECT_START = `${VERSION_PREFIX}.`;

function unauthorized(ctx: HandleContext, problem: string, fix: string, caller: string): MeshError {
  return refusal(new MeshError('UNAUTHORIZED', `The request on "${ctx.subject}" was refused: ${problem}. To fix: ${fix}.`, caller === '' ? undefined : { caller }));
}
