import { connect } from 'node:net';

/** The fields of a nats-server `INFO` that say how it secures client connections. */
export interface ServerTlsInfo {
  readonly tls_required?: boolean;
  readonly tls_verify?: boolean;
}

/**
 * Reads the `INFO` line a nats-server sends in plain text on connect, from the first of
 * `servers` that answers within `timeoutMs`; `undefined` when none does (or a server starts
 * with the TLS handshake). Only for explaining a failed connection: it opens a socket per server.
 */
export async function probeServerInfo(servers: readonly string[], timeoutMs: number): Promise<ServerTlsInfo | undefined> {
  for (const server of servers) {
    const address = hostPort(server);
    const info = address && (await readInfo(address.host, address.port, timeoutMs));
    if (info) return info;
  }
  return undefined;
}

function hostPort(server: string): { host: string; port: number } | undefined {
  try {
    const url = new URL(server.includes('://') ? server : `nats://${server}`);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 4222 : Number(url.port) };
  } catch {
    return undefined;
  }
}

function readInfo(host: string, port: number, timeoutMs: number): Promise<ServerTlsInfo | undefined> {
  return new Promise((done) => {
    let text = '';
    const socket = connect({ host, port });
    const finish = (info: ServerTlsInfo | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      done(info);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end < 0 && text.length < 64 * 1024) return;
      const m = /^INFO\s+(\{.*\})\s*$/.exec(text.slice(0, end < 0 ? undefined : end));
      try {
        finish(m ? (JSON.parse(m[1]!) as ServerTlsInfo) : undefined);
      } catch {
        finish(undefined);
      }
    });
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
  });
}
