import type { CreateCaller } from './caller';
import { routedCaller } from './natsmesh-route.caller';

/** The `natsmesh-route` caller with an even route (50/50): the same rule work, the load spread as evenly as the queue group spreads it. */
export const createCaller: CreateCaller = (url) => routedCaller(url, 50);
