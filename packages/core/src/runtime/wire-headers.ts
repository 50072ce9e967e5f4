/** Header of the NATS Service API (ADR-32) with the error's description. */
export const ERROR_HEADER = 'Nats-Service-Error';
/** Header of the NATS Service API (ADR-32) with the error's numeric status. */
export const ERROR_CODE_HEADER = 'Nats-Service-Error-Code';
/** Milliseconds the caller still waits; a handler's deadline and `ctx.request` budget derive from it. */
export const TIMEOUT_HEADER = 'Mesh-Timeout';
