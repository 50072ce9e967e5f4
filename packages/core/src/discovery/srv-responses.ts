import type { ServiceDescription } from '../app/describe';
import { DURATION_BUCKETS } from '../metrics/duration-buckets';
import { emptyDurationCounts } from '../metrics/duration-histogram';
import type { EndpointStats } from './endpoint-stats';
import { toSrvId, toSrvName } from './discovery-subjects';
import { HOST_NAME, NATSMESH_VERSION } from './instance-info';

/** One hosted service as the Service API responder sees it. */
export interface SrvService {
  readonly description: ServiceDescription;
  readonly stats: ReadonlyMap<string, EndpointStats>;
}

/** What every service of one app shares; each service's own `$SRV` id derives from `appId`. */
export interface SrvIdentity {
  /** The app's instance id, as the natsmesh registry knows it. */
  readonly appId: string;
  readonly zone: string | undefined;
  readonly started: string;
}

function base(type: string, s: ServiceDescription, who: SrvIdentity) {
  const metadata: Record<string, string> = {
    ...s.metadata,
    'natsmesh.service': s.name,
    'natsmesh.version': NATSMESH_VERSION,
    'natsmesh.instance': who.appId,
    host: HOST_NAME,
  };
  if (who.zone !== undefined) metadata.zone = who.zone;
  return { type: `io.nats.micro.v1.${type}`, name: toSrvName(s.name), id: toSrvId(who.appId, s.name), version: s.version, metadata };
}

/** The ADR-32 PING response. */
export function pingResponse(s: SrvService, who: SrvIdentity): object {
  return base('ping_response', s.description, who);
}

/**
 * The ADR-32 INFO response; endpoint metadata carries the JSON Schemas of input and output and
 * `natsmesh.middleware`, the names of the middleware around the handler as a JSON array (outermost first),
 * and `natsmesh.slo`, the endpoint's service level objective as a JSON object.
 */
export function infoResponse(s: SrvService, who: SrvIdentity): object {
  const d = s.description;
  return {
    ...base('info_response', d, who),
    description: d.description ?? '',
    endpoints: d.endpoints.map((e) => {
      const metadata: Record<string, string> = {};
      if (e.input !== undefined) metadata['natsmesh.input'] = e.input;
      if (e.output !== undefined) metadata['natsmesh.output'] = e.output;
      if (e.inputSchema !== undefined) metadata.input_schema = JSON.stringify(e.inputSchema);
      if (e.outputSchema !== undefined) metadata.output_schema = JSON.stringify(e.outputSchema);
      if (e.description !== undefined) metadata.description = e.description;
      if (e.middleware !== undefined) metadata['natsmesh.middleware'] = JSON.stringify(e.middleware);
      if (e.slo !== undefined) metadata['natsmesh.slo'] = JSON.stringify(e.slo);
      return { name: toSrvName(e.name), subject: e.subject, queue_group: e.queue, metadata };
    }),
  };
}

/**
 * The ADR-32 STATS response; times in nanoseconds, asynchronous work included. Each endpoint's
 * free-form `data` holds what the resilience guards turned away (`expired`, `rate_limited`,
 * `rejected`) and `duration_seconds`, the histogram of handled requests: `le` the upper bounds in
 * seconds, `counts` the requests per bucket (not cumulative), one more entry than `le` for the
 * requests above the last bound.
 */
export function statsResponse(s: SrvService, who: SrvIdentity): object {
  const d = s.description;
  return {
    ...base('stats_response', d, who),
    started: who.started,
    endpoints: d.endpoints.map((e) => {
      const st = s.stats.get(e.name);
      const processing = Math.round((st?.processingMs ?? 0) * 1e6);
      const n = st?.numRequests ?? 0;
      return {
        name: toSrvName(e.name),
        subject: e.subject,
        queue_group: e.queue,
        num_requests: n,
        num_errors: st?.numErrors ?? 0,
        last_error: st?.lastError ?? '',
        processing_time: processing,
        average_processing_time: n === 0 ? 0 : Math.round(processing / n),
        data: {
          expired: st?.expired ?? 0,
          rate_limited: st?.rateLimited ?? 0,
          rejected: st?.rejected ?? 0,
          duration_seconds: { le: DURATION_BUCKETS, counts: st?.durationCounts ?? emptyDurationCounts() },
        },
      };
    }),
  };
}
