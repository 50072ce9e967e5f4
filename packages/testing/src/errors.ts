/**
 * Every error code `@natsmesh/testing` throws, with what it means.
 */
export const TESTING_ERROR_CODES = {
  NATS_SERVER_NOT_FOUND: 'No nats-server binary was found and no Docker fallback is usable.',
  NATS_SERVER_START_FAILED: 'nats-server exited or could not be spawned before it became ready.',
  NATS_SERVER_START_TIMEOUT: 'nats-server did not accept connections within the start timeout.',
  NATS_SERVER_STOPPED: 'The server was stopped with stop() and cannot be restarted.',
  NATS_CLUSTER_NOT_READY: 'The cluster members did not all route to each other within the timeout.',
  INVALID_CONFIG: 'A config object holds a value nats-server config syntax cannot express.',
  INVALID_OPTIONS: 'An option passed to a testing helper is out of range.',
} as const;

/** One of the keys of {@link TESTING_ERROR_CODES}. */
export type TestingErrorCode = keyof typeof TESTING_ERROR_CODES;

/**
 * The one error class of `@natsmesh/testing`: a readonly `code` from {@link TESTING_ERROR_CODES}
 * and a message that says what happened and how to fix it.
 */
export class TestingError extends Error {
  override readonly name = 'TestingError';

  constructor(
    readonly code: TestingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns anything thrown by a dependency into a `TestingError` with the given code, keeping it as `cause`. */
export function getTestingErrorFromUnknown(code: TestingErrorCode, what: string, err: unknown): TestingError {
  if (err instanceof TestingError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new TestingError(code, `${what}: ${reason}`, { cause: err });
}
