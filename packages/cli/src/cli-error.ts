/** Exit codes of the natsmesh command. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** A usage mistake: wrong arguments or options. Exits 2 with the message and a hint to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE' as const;
}
