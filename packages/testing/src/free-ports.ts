import { createServer, type Server } from 'node:net';

/**
 * Asks the OS for `n` distinct free ports on 127.0.0.1 by listening on port 0 with all of them
 * at once, then closing. Another process could take a port before it is used again, so callers
 * retry when a server reports "address already in use".
 */
export async function allocateFreePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((done, fail) => {
        server.once('error', fail);
        server.listen(0, '127.0.0.1', () => done());
      });
    }
    return servers.map((s) => {
      const address = s.address();
      if (address === null || typeof address === 'string') throw new Error('a TCP listener has no port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((done) => (s.listening ? s.close(() => done()) : done()))));
  }
}
