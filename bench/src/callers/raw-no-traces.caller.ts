import { rawCaller } from './raw.caller';

/** `nc.request` on a connection made with `noAsyncTraces: true`. */
export const createCaller = rawCaller(true);
