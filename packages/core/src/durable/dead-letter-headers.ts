/**
 * Headers natsmesh adds to a dead letter, beside the event's own headers: why it failed,
 * and where it came from.
 */
export const DEAD_LETTER_HEADERS = {
  /** The last error's message, at most 1024 characters. */
  error: 'Mesh-Dlq-Error',
  /** The last error's code, e.g. `INTERNAL` or `VALIDATION_FAILED`. */
  code: 'Mesh-Dlq-Error-Code',
  /** The subject the event was published on. */
  subject: 'Mesh-Dlq-Subject',
  stream: 'Mesh-Dlq-Stream',
  consumer: 'Mesh-Dlq-Consumer',
  /** The event's sequence number in the stream. */
  sequence: 'Mesh-Dlq-Sequence',
  /** How many times it was delivered. */
  deliveries: 'Mesh-Dlq-Deliveries',
} as const;
