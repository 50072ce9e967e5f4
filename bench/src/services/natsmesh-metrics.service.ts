import type { StartService } from './running-service';
import { startNatsmesh } from './natsmesh.service';

/** natsmesh as in `natsmesh.service`, with Prometheus metrics on (served on a free port). */
export const startService: StartService = (url, onEvent) => startNatsmesh(url, onEvent, { metrics: { port: 0, host: '127.0.0.1' } });
