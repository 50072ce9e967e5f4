import { benchAclCredentials } from '../bench-acl';
import { startNatsmesh } from './natsmesh.service';
import type { StartService } from './running-service';

/** natsmesh as in `natsmesh.service`, connected as the NATS user `natsmesh acl` generates for it (the server checks its permissions). */
export const startService: StartService = (url, onEvent) => startNatsmesh(url, onEvent, { nats: { servers: url, nkeySeed: benchAclCredentials().serviceSeed } });
