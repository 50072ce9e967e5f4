/**
 * Every error code `@natsmesh/docs` throws, with what it means.
 */
export const DOCS_ERROR_CODES = {
  INVALID_OPTIONS: 'An option passed to a docs function is missing or out of range.',
  LOAD_FAILED: 'A module or scan glob given to loadDescriptions could not be imported.',
  NO_SERVICES: 'loadDescriptions imported its modules but found no @Service class.',
  DUPLICATE_SERVICE: 'Two different descriptions share one service name and version.',
  WRITE_FAILED: 'writeDocs could not create the output folder or write a file.',
} as const;

/** One of the keys of {@link DOCS_ERROR_CODES}. */
export type DocsErrorCode = keyof typeof DOCS_ERROR_CODES;

/**
 * The one error class of `@natsmesh/docs`: a readonly `code` from {@link DOCS_ERROR_CODES}
 * and a message that says what happened and how to fix it.
 */
export class DocsError extends Error {
  override readonly name = 'DocsError';

  constructor(
    readonly code: DocsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns anything thrown by a dependency into a `DocsError` with the given code, keeping it as `cause`. */
export function getDocsErrorFromUnknown(code: DocsErrorCode, what: string, err: unknown): DocsError {
  if (err instanceof DocsError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new DocsError(code, `${what}: ${reason}`, { cause: err });
}
