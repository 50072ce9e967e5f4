/**
 * Runs one log call and swallows what a user's logger throws. For failure paths: a reply, a
 * nak or a dead letter must not be skipped, nor a `void`ed handler promise reject (Node ends
 * the process on an unhandled rejection), because the logger failed.
 */
export function logSafely(write: () => void): void {
  try {
    write();
  } catch {
    // nothing left to tell
  }
}
