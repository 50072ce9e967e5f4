import { startCanaryController, type CanaryState, type Logger, type MeshClient } from '@natsmesh/core';
import { EXIT } from '../cli-error';
import type { CliIo } from '../output/cli-io';
import { terminalSafe } from '../output/terminal-safe';
import { formatDuration } from './duration';
import { decisionLine } from './canary-text';

/** What `natsmesh canary run` was given. */
export interface CanaryRunOptions {
  /** Only these services; empty for every canary rule. */
  readonly services: readonly string[];
  readonly lockTtlMs?: number;
  readonly json: boolean;
}

/**
 * Runs a canary controller on the client's connection until SIGINT or SIGTERM (then it releases
 * its locks: another controller resumes at once) or until the connection closes; prints each
 * decision it takes as it stores it. Resolves with the exit code.
 */
export async function runCanaryController(client: MeshClient, io: CliIo, options: CanaryRunOptions): Promise<number> {
  const { services, json } = options;
  const steps = (service: string) => client.rules.current().canaries.find((c) => c.service === service)?.steps.length;
  const controller = await startCanaryController({
    nats: client.connection,
    ...(services.length === 0 ? {} : { services }),
    ...(options.lockTtlMs === undefined ? {} : { lockTtlMs: options.lockTtlMs }),
    logger: decisionLogger(io, json, steps),
  });
  const which = services.length === 0 ? 'every service' : services.join(', ');
  const ttl = options.lockTtlMs === undefined ? '' : `, locks of ${formatDuration(options.lockTtlMs)}`;
  if (!json) io.out(terminalSafe(`Driving the canary rollouts of ${which} as controller ${controller.id}${ttl}; Ctrl-C stops.`));
  let unlisten: () => void = () => undefined;
  const why = await Promise.race([
    new Promise<'signal'>((resolve) => {
      const stop = () => resolve('signal');
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      unlisten = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      };
    }),
    client.connection.closed().then(() => 'closed' as const),
  ]);
  unlisten();
  await controller.stop();
  if (why === 'closed') {
    io.err('UNAVAILABLE: The connection to the NATS server closed: the controller stopped (another one resumes its rollouts once their locks expire).');
    return EXIT.FAILED;
  }
  if (!json) io.out('Stopped.');
  return EXIT.OK;
}

/**
 * The controller's logger: each decision (an info line carrying `canary`, the stored state) as
 * one line with the time, warnings on stderr; nothing else.
 */
function decisionLogger(io: CliIo, json: boolean, steps: (service: string) => number | undefined): Logger {
  const ignore = () => undefined;
  const warn = (obj: object | string, msg?: string) => {
    const text = typeof obj === 'string' ? obj : `${msg ?? ''}${errorText(obj)}`;
    io.err(json ? JSON.stringify({ warning: text }) : terminalSafe(`Warning: ${text}`));
  };
  const logger: Logger = {
    trace: ignore,
    debug: ignore,
    info: (obj: object | string) => {
      const state = typeof obj === 'object' ? (obj as { canary?: CanaryState }).canary : undefined;
      if (state === undefined) return;
      io.out(json ? JSON.stringify(state) : terminalSafe(`${new Date(state.updatedAt).toISOString().slice(11, 19)} ${decisionLine(state, steps(state.service))}`));
    },
    warn,
    error: warn,
    fatal: warn,
    child: () => logger,
  };
  return logger;
}

function errorText(obj: object): string {
  const err = (obj as { err?: unknown }).err;
  return err instanceof Error ? `: ${err.message}` : '';
}
