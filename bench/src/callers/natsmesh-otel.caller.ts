import { registerTracing } from '../otel-sdk';
import type { CreateCaller } from './caller';
import { natsmeshCaller } from './natsmesh.caller';

/** The natsmesh caller with client metrics and OpenTelemetry tracing through the SDK. */
export const createCaller: CreateCaller = (url) => {
  registerTracing();
  return natsmeshCaller(url, { metrics: true, tracing: true });
};
