import type { CreateCaller } from './caller';
import { routedCaller } from './natsmesh-route.caller';

/** Every request routed to 1.0.0, and half of them copied to 2.0.0 by a mirror rule (never awaited). */
export const createCaller: CreateCaller = (url) => routedCaller(url, 100, 50);
