import { benchAclCredentials } from '../bench-acl';
import type { CreateCaller } from './caller';
import { natsmeshCaller } from './natsmesh.caller';

/** The natsmesh caller connected as a generated caller role (its own inbox prefix, permissions checked by the server). */
export const createCaller: CreateCaller = (url) => {
  const { callerSeed, callerInbox } = benchAclCredentials();
  return natsmeshCaller(url, { nats: { servers: url, nkeySeed: callerSeed, inboxPrefix: callerInbox } });
};
