import { statusOfCode } from './error-codes';

/** Options of a {@link MeshError} beyond code, message and details. */
export interface MeshErrorOptions {
  /**
   * HTTP-like status, an integer 400–599; anything else (absent, `NaN`, `200`, `'404'`) falls
   * back to the status of the code (500 for codes natsmesh does not know).
   */
  status?: number;
  /** The error that caused this one; kept for logs, never sent on the wire. */
  cause?: unknown;
}

/**
 * The one error type of natsmesh. It crosses the wire: a handler that throws
 * `new MeshError('NOT_FOUND', 'no room 7')` makes the caller's promise reject with a
 * `MeshError` of the same code, message and details.
 *
 * @example
 * throw new MeshError('CONFLICT', 'Room 3 is already booked', { room: 3 });
 */
export class MeshError<TDetails = unknown> extends Error {
  override readonly name = 'MeshError';
  /** Machine-readable code such as `VALIDATION_FAILED` or a code of your own. */
  readonly code: string;
  /** HTTP-like status number. */
  readonly status: number;
  /** Structured data for the caller, for example per-field validation errors. */
  readonly details: TDetails | undefined;

  constructor(code: string, message: string, details?: TDetails, options?: MeshErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    const status = options?.status;
    this.status = isErrorStatus(status) ? status : statusOfCode(code);
    this.details = details;
  }

  /**
   * True for any MeshError, also one from another copy of this package (an Error named
   * `MeshError` with a string `code`). Never throws: a value that cannot be inspected (a
   * revoked Proxy, a throwing getter) is not a MeshError.
   */
  static is(err: unknown): err is MeshError {
    try {
      return err instanceof MeshError || (err instanceof Error && err.name === 'MeshError' && typeof (err as MeshError).code === 'string');
    } catch {
      return false;
    }
  }

  /** The plain JSON body sent on the wire. */
  toJSON(): { code: string; message: string; details?: TDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

// Only an error status goes on the wire: a 2xx would read as success, a string as garbage.
function isErrorStatus(status: unknown): status is number {
  return Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599;
}
