/**
 * Every error code natsmesh produces, with the HTTP-like status it maps to and what a user
 * should do about it. The table is the single source: `docs/errors.md` is checked against it.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, hint: 'Send a well-formed JSON payload.' },
  VALIDATION_FAILED: { status: 400, hint: 'Fix the fields listed in details.' },
  INVALID_RULE: { status: 400, hint: 'Fix the control-plane rule fields named in the message and write it again.' },
  UNAUTHORIZED: { status: 401, hint: 'Authenticate the caller.' },
  FORBIDDEN: { status: 403, hint: 'Grant the caller permission for this subject.' },
  NOT_FOUND: { status: 404, hint: 'Check the subject or the id asked for.' },
  CONFLICT: { status: 409, hint: 'Re-read the resource and retry with current state.' },
  PAYLOAD_TOO_LARGE: { status: 413, hint: "Send less data than the app's maxPayload and the server's max_payload." },
  RATE_LIMITED: { status: 429, hint: 'Slow down and retry later.' },
  INTERNAL: { status: 500, hint: 'See the service logs.' },
  NOT_IMPLEMENTED: { status: 501, hint: 'Use a supported option.' },
  UNAVAILABLE: { status: 503, hint: 'Retry when the service or connection is back.' },
  JETSTREAM_UNAVAILABLE: { status: 503, hint: 'Enable JetStream on the server (-js) and account, or create a stream over the subject.' },
  NO_RESPONDERS: { status: 503, hint: 'Start a service that handles this subject, or check the subject.' },
  CIRCUIT_OPEN: { status: 503, hint: 'Wait for the circuit to half-open.' },
  TIMEOUT: { status: 504, hint: 'Raise the timeout or make the handler faster.' },
  INVALID_SUBJECT: { status: 500, hint: 'Use dot-separated tokens without white space; wildcards only in @On.' },
  DUPLICATE_SUBJECT: { status: 500, hint: 'Give each handler its own subject.' },
  NOT_A_SERVICE: { status: 500, hint: 'Decorate the class with @Service(name).' },
  UNRESOLVED_DEPENDENCY: { status: 500, hint: 'Register a provider or use @Inject(token).' },
  INVALID_OPTIONS: { status: 500, hint: 'Fix the options passed to natsmesh.' },
  NOT_STARTED: { status: 500, hint: 'Call app.start() first.' },
} as const;

/** A code from natsmesh's own table; user code may use any other string too. */
export type ErrorCode = keyof typeof ERROR_CODES;

const STATUS_TO_CODE: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
};

/** The status for a code; unknown codes are server errors (500). */
export function statusOfCode(code: string): number {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode].status : 500;
}

/** The closest natsmesh code for a status received from a non-natsmesh NATS micro service. */
export function codeOfStatus(status: number): ErrorCode {
  return STATUS_TO_CODE[status] ?? (status >= 400 && status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
}
