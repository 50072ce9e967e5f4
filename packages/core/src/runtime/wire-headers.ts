/** Header of the NATS Service API (ADR-32) with the error's description. */
export const ERROR_HEADER = 'Nats-Service-Error';
/** Header of the NATS Service API (ADR-32) with the error's numeric status. */
export const ERROR_CODE_HEADER = 'Nats-Service-Error-Code';
/** Milliseconds the caller still waits; a handler's deadline and `ctx.request` budget derive from it. */
export const TIMEOUT_HEADER = 'Mesh-Timeout';
/**
 * Epoch ms at which the caller stops waiting, sent beside {@link TIMEOUT_HEADER}. A server
 * that receives a request after it drops the request without running the handler.
 */
export const DEADLINE_HEADER = 'Mesh-Deadline';
/** On a `RATE_LIMITED` reply: milliseconds until the endpoint accepts another request. */
export const RETRY_AFTER_HEADER = 'Mesh-Retry-After';
/**
 * On the reply of a request a server-side fault was injected into: one value per fault,
 * `<name>;delay=<ms>` or `<name>;abort=<code>` (see `FaultRule`).
 */
export const FAULT_HEADER = 'Mesh-Fault';
