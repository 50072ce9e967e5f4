import { BENCH_CALLER, BENCH_CALLER_PUBLIC_KEY } from '../identity-key';
import type { StartService } from './running-service';
import { startNatsmesh } from './natsmesh.service';

/** natsmesh as in `natsmesh.service`, verifying signed caller identity on every request (`identity.trust`). */
export const startService: StartService = (url, onEvent) => startNatsmesh(url, onEvent, { identity: { trust: { [BENCH_CALLER]: BENCH_CALLER_PUBLIC_KEY } } });
