import { injectable } from 'tsyringe';
import type { EventContext, HandleContext, Middleware } from '@natsmesh/core';
import { STAFF_HEADER, StaffDirectory } from './staff-directory';

/**
 * Guard for staff-only endpoints (a cancellation refunds money): lets a request through only
 * when its `X-Hotel-Staff` header holds a badge the {@link StaffDirectory} knows; any other
 * request is answered `FORBIDDEN` (403) before its body is even validated. Built by the app's
 * container, which injects the directory.
 */
@injectable()
export class StaffOnly implements Middleware {
  constructor(private readonly staff: StaffDirectory) {}

  canActivate(ctx: HandleContext | EventContext): boolean {
    // nats.js answers "" for a missing header.
    const badge = ctx.headers?.get(STAFF_HEADER) ?? '';
    return badge !== '' && this.staff.isStaff(badge);
  }
}
