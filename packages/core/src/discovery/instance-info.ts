import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ServiceDescription } from '../app/describe';

/** Everything the mesh knows about one running app instance; served by discovery. */
export interface InstanceInfo {
  /** The app's instance id; each hosted service answers `$SRV` under its own id derived from it (`toSrvId`). */
  id: string;
  zone?: string;
  /**
   * Prefix of the instance-addressed subjects: endpoint `hotel.booking.save` of this instance
   * also answers on `<direct>.hotel.booking.save` (`$NATSMESH.I.<id>.hotel.booking.save`).
   */
  direct?: string;
  host: string;
  /** When the instance started, RFC 3339. */
  started: string;
  /** natsmesh version the instance runs. */
  natsmesh: string;
  /** How often it sends a heartbeat, ms. */
  heartbeatInterval: number;
  /** Full descriptions of the services it hosts: endpoints, events, schemas, dependencies. */
  services: ServiceDescription[];
}

/** The small load report an instance publishes once per heartbeat interval. */
export interface Heartbeat {
  id: string;
  /** Handlers running now. */
  inFlight: number;
  /** Requests per second over the last interval. */
  rate: number;
  /** Mean processing time over the last interval, ms. */
  latencyMs: number;
}

/** The version of @natsmesh/core, as announced in discovery. */
export const NATSMESH_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** The host name announced in discovery. */
export const HOST_NAME = hostname();
