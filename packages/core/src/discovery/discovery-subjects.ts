/** Prefix of the NATS Service API (ADR-32) discovery subjects. */
export const SRV_PREFIX = '$SRV';
/** An app announces itself here when it starts (payload: {@link InstanceInfo}). */
export const UP_SUBJECT = '$NATSMESH.UP';
/** An app says goodbye here when it stops cleanly (payload: `{ id }`). */
export const DOWN_SUBJECT = '$NATSMESH.DOWN';
/** Every app publishes one small {@link Heartbeat} here per interval. */
export const HEARTBEAT_SUBJECT = '$NATSMESH.HB';
/** Scatter-gather: every app replies with its {@link InstanceInfo}. */
export const DISCOVER_SUBJECT = '$NATSMESH.DISCOVER';
/** `$NATSMESH.INSTANCE.<id>`: one app replies with its {@link InstanceInfo}. */
export const INSTANCE_PREFIX = '$NATSMESH.INSTANCE';
/**
 * Scatter-gather health: every app replies with its {@link HealthReport}; `$NATSMESH.HEALTH.<id>`
 * asks one app. Answered from connect until the connection drains, so `stopping` is seen too.
 */
export const HEALTH_SUBJECT = '$NATSMESH.HEALTH';

/** `$NATSMESH.I.<id>.<subject>`: the endpoint `<subject>` of one instance only, for client-side load balancing. */
export const DIRECT_PREFIX = '$NATSMESH.I';

/**
 * `$NATSMESH.V.<version token>.<subject>`: the endpoint `<subject>` of the instances running one
 * version of its service, in the endpoint's queue group; what nats-server weighted subject
 * mappings split traffic to (`natsmesh route export`, {@link versionToken}).
 */
export const VERSION_PREFIX = '$NATSMESH.V';

/** A service version as one subject token: its dots become `_` (`1.2.0` → `1_2_0`; semver has no `_`, so no two versions meet). */
export function versionToken(version: string): string {
  return version.replace(/[.\s*>]/g, '_');
}

/**
 * The Service API name of a natsmesh service. ADR-32 names allow only `[A-Za-z0-9_-]`, so
 * every other character (the dots of `hotel.booking`) becomes `_`: `hotel_booking`. The
 * natsmesh name stays in the metadata key `natsmesh.service`.
 */
export function toSrvName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The ADR-32 id of one hosted service: `<app instance id>-<$SRV name>`, e.g. `hotel-1-hotel_booking`.
 * ADR-32 ids tell the instances of one service apart, so each service of an app has its own; it
 * is derived from the app id, hence stable for the app's lifetime and one subject token
 * (`$SRV.PING.hotel_booking.hotel-1-hotel_booking`). The app id stays in metadata `natsmesh.instance`.
 */
export function toSrvId(appInstanceId: string, serviceName: string): string {
  return `${appInstanceId}-${toSrvName(serviceName)}`;
}
