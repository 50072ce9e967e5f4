import { MOLECULER_METRICS } from '../moleculer-metrics';
import { startMoleculer } from './moleculer.service';
import type { StartService } from './running-service';

/** Moleculer as in `moleculer.service`, with its built-in metrics and Prometheus reporter on. */
export const startService: StartService = (url, onEvent) => startMoleculer(url, onEvent, MOLECULER_METRICS);
