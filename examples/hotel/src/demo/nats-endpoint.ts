import { createConnection } from 'node:net';
import { startNatsServer } from '@natsmesh/testing';

/** The NATS server the demo talks to, and how it got it. */
export interface NatsEndpoint {
  readonly url: string;
  /** True when the demo started the server itself. */
  readonly started: boolean;
  /** For the user: which server it is, and why. */
  readonly origin: string;
  /** Stops the server when the demo started it; does nothing otherwise. */
  stop(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 1000;

/**
 * `url` when a NATS server answers there within a second; otherwise a nats-server started
 * on a free loopback port (the binary on PATH, else /usr/sbin or /usr/local/bin).
 */
export async function findOrStartNats(url: string): Promise<NatsEndpoint> {
  const failure = await probe(url);
  if (failure === undefined) return { url, started: false, origin: `the server already running at ${url}`, stop: async () => undefined };
  // startNatsServer finds the binary (NATS_SERVER_BIN, PATH, /usr/sbin) or says how to install one.
  const server = await startNatsServer();
  return {
    url: server.url,
    started: true,
    origin: `nothing answered at ${url} (${failure}), so the demo started a nats-server (pid ${server.pid}) at ${server.url}`,
    stop: () => server.stop(),
  };
}

// A NATS server greets every new connection with an INFO line. Reading that over a plain
// socket, destroyed at the deadline, beats nats.js connect() here: a connect that times out
// leaves its socket open for ~10 s, which would keep the demo alive long after it is done.
function probe(url: string): Promise<string | undefined> {
  let targets: { host: string; port: number }[];
  try {
    targets = url.split(',').map((u) => {
      const parsed = new URL(u.includes('://') ? u.trim() : `nats://${u.trim()}`);
      return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 4222) };
    });
  } catch {
    return Promise.resolve('not a NATS URL');
  }
  return Promise.any(targets.map(greets)).then(
    () => undefined,
    (err: AggregateError) => [...new Set((err.errors as Error[]).map((e) => e.message))].join(', '),
  );
}

function greets(target: { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(target);
    let received = '';
    const done = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(new Error(`no NATS greeting within ${PROBE_TIMEOUT_MS} ms`)));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length >= 5) done(received.startsWith('INFO ') ? undefined : new Error('not a NATS server'));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(new Error(err.code ?? err.message)));
  });
}
