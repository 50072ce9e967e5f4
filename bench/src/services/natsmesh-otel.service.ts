import { registerTracing } from '../otel-sdk';
import { startNatsmesh } from './natsmesh.service';
import type { StartService } from './running-service';

/** natsmesh with metrics on and OpenTelemetry tracing through the SDK (batch processor, in-memory exporter). */
export const startService: StartService = (url, onEvent) => {
  registerTracing();
  return startNatsmesh(url, onEvent, { metrics: { port: 0, host: '127.0.0.1' }, tracing: true });
};
