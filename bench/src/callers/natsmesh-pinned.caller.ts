import type { CreateCaller } from './caller';
import { routedCaller } from './natsmesh-route.caller';

/** The `natsmesh-route` caller with every request routed to 1.0.0: the baseline of `natsmesh-mirror`. */
export const createCaller: CreateCaller = (url) => routedCaller(url, 100);
