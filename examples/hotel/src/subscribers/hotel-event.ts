/** The payload of every `app.<service>.<kind>` event: plain JSON with an optional human-readable message. */
export interface HotelEvent {
  readonly message?: string;
  readonly [field: string]: unknown;
}
