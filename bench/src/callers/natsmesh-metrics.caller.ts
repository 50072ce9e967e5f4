import type { CreateCaller } from './caller';
import { natsmeshCaller } from './natsmesh.caller';

/** The natsmesh caller with client metrics on (`createClient({ metrics: true })`). */
export const createCaller: CreateCaller = (url) => natsmeshCaller(url, { metrics: true });
