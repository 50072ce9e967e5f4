/** Where an app is in its life: `createApp` → `start()` → `stop()`. */
export type AppState = 'created' | 'starting' | 'started' | 'stopping' | 'stopped';

/**
 * An app's health status: `ready` when started and connected to NATS; `starting` while
 * `app.start()` connects and subscribes; `stopping` while `app.stop()` drains; `disconnected`
 * while the connection is lost and reconnecting; `created` before `start()`, `stopped` after `stop()`.
 */
export type HealthStatus = 'ready' | 'starting' | 'stopping' | 'disconnected' | 'created' | 'stopped';

/** Why an app is not ready: its status and one sentence for a human. */
export interface NotReady {
  readonly status: Exclude<HealthStatus, 'ready'>;
  readonly reason: string;
}

/**
 * The one readiness rule, shared by `/readyz` and health over NATS: undefined when the app is
 * started and connected, else why not.
 */
export function notReady(state: AppState, connected: boolean): NotReady | undefined {
  switch (state) {
    case 'started':
      return connected ? undefined : { status: 'disconnected', reason: 'The NATS connection is lost; the app is reconnecting.' };
    case 'starting':
      return { status: 'starting', reason: 'app.start() is connecting and subscribing.' };
    case 'stopping':
      return { status: 'stopping', reason: 'app.stop() is draining: no new messages are taken.' };
    default:
      return { status: state, reason: 'The app is not started.' };
  }
}
