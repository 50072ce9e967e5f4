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

/** `$NATSMESH.I.<id>.<subject>`: the endpoint `<subject>` of one instance only, for client-side load balancing. */
export const DIRECT_PREFIX = '$NATSMESH.I';

/**
 * The Service API name of a natsmesh service. ADR-32 names allow only `[A-Za-z0-9_-]`, so
 * every other character (the dots of `hotel.booking`) becomes `_`: `hotel_booking`. The
 * natsmesh name stays in the metadata key `natsmesh.service`.
 */
export function toSrvName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}
