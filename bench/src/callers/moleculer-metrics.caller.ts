import { MOLECULER_METRICS } from '../moleculer-metrics';
import type { CreateCaller } from './caller';
import { moleculerCaller } from './moleculer.caller';

/** The Moleculer caller with its built-in metrics and Prometheus reporter on. */
export const createCaller: CreateCaller = (url) => moleculerCaller(url, MOLECULER_METRICS);
