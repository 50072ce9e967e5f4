import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { MeshError } from '../errors/mesh-error';
import type { CheckedMetricsOptions } from './metrics-options';

/** What `/readyz` answers: undefined when ready, else why not. */
export type Readiness = () => { status: string; reason: string } | undefined;

/**
 * The app's HTTP endpoint (node:http, no framework): the registry's Prometheus text at
 * `options.path`, `/healthz` (200 while the process serves HTTP) and `/readyz` (200 when
 * started and connected, else 503 with `{ status, reason }`).
 */
export class MetricsServer {
  private server: Server | undefined;
  /** The URL of the metrics path while listening. */
  url: string | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly options: CheckedMetricsOptions,
    private readonly readiness: Readiness,
  ) {}

  /**
   * Listens; resolves with the metrics URL.
   *
   * @throws MeshError `UNAVAILABLE` when the port is in use or the address cannot be bound.
   */
  async start(): Promise<string> {
    const { port, host, path } = this.options;
    const server = createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const where = `${host ?? '*'}:${port}`;
        const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.code === 'EADDRNOTAVAIL' ? 'the address is not on this host' : err.message;
        reject(new MeshError('UNAVAILABLE', `Cannot serve metrics on ${where}: ${why}; set another createApp metrics.port (0 picks a free one) or host.`, undefined, { cause: err }));
      });
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const a = server.address() as AddressInfo;
    const shown = a.family === 'IPv6' ? (a.address === '::' ? '127.0.0.1' : `[${a.address}]`) : a.address === '0.0.0.0' ? '127.0.0.1' : a.address;
    return (this.url = `http://${shown}:${a.port}${path}`);
  }

  /** Stops listening and closes open connections (scrapers keep them alive). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.url = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'application/json', '{"status":"method not allowed"}', { allow: 'GET, HEAD' });
    if (path === this.options.path) {
      this.registry.metrics().then(
        (text) => send(res, 200, this.registry.contentType, text),
        (err: Error) => send(res, 500, 'text/plain; charset=utf-8', `cannot collect metrics: ${err.message}\n`),
      );
      return;
    }
    if (path === '/healthz') return send(res, 200, 'application/json', '{"status":"ok"}');
    if (path === '/readyz') {
      const not = this.readiness();
      return not === undefined ? send(res, 200, 'application/json', '{"status":"ready"}') : send(res, 503, 'application/json', JSON.stringify(not));
    }
    send(res, 404, 'application/json', '{"status":"not found"}');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, extra?: Record<string, string>): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
  res.end(body);
}
