import { injectable } from 'tsyringe';

/** The header a staff client sends its badge in (nats.js header names are case-sensitive). */
export const STAFF_HEADER = 'X-Hotel-Staff';

/** Badges the example hotel has issued; a real hotel keeps them in its staff system. */
export const STAFF_BADGES: readonly string[] = ['desk-01', 'manager-01'];

/** Who works at the hotel: stands in for the staff system a real guard would ask. */
@injectable()
export class StaffDirectory {
  private readonly badges = new Set(STAFF_BADGES);

  /** True for a badge the hotel issued. */
  isStaff(badge: string): boolean {
    return this.badges.has(badge);
  }
}
