/** How the rooms service behaves; only version 2.0.0 reads it. */
export interface RoomsConfig {
  /**
   * Share of `list` calls that version 2.0.0 fails with `UNAVAILABLE`, 0–100 (default 0): a
   * broken new version, for the canary walk-through's rollback.
   */
  readonly failPercent: number;
}

/** Injection token of the {@link RoomsConfig}. */
export const ROOMS_CONFIG = Symbol('ROOMS_CONFIG');

/** The configuration the hotel app uses unless told otherwise. */
export const DEFAULT_ROOMS_CONFIG: RoomsConfig = { failPercent: 0 };
