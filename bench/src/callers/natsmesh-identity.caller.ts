import { BENCH_CALLER, BENCH_CALLER_SEED } from '../identity-key';
import type { CreateCaller } from './caller';
import { natsmeshCaller } from './natsmesh.caller';

/** The natsmesh caller signing every request with its nkey (`createClient({ identity: { name, seed } })`). */
export const createCaller: CreateCaller = (url) => natsmeshCaller(url, { identity: { name: BENCH_CALLER, seed: BENCH_CALLER_SEED } });
