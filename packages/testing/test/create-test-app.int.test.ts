import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { connect } from 'nats';
import { createLogger, Handle, Service } from '@natsmesh/core';
import { createTestApp, startNatsServer } from '@natsmesh/testing';

@Service('test.greeter')
class GreeterService {
  @Handle('hello')
  hello(input: { name: string }) {
    return { greeting: `hello ${input.name}` };
  }
}

const quiet = createLogger({ level: 'fatal', sink: () => undefined });

describe('createTestApp', () => {
  it('starts a server and the app, answers requests, and stop() takes both down', async () => {
    const { app, server, stop } = await createTestApp({ services: [GreeterService], logger: quiet });
    try {
      await expect(app.client.request('test.greeter.hello', { name: 'Ann' })).resolves.toEqual({ greeting: 'hello Ann' });
    } finally {
      await stop();
    }
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow();
  });

  it('uses a given server and leaves it running', async () => {
    const server = await startNatsServer();
    try {
      const first = await createTestApp({ services: [GreeterService], logger: quiet, server });
      expect(first.server).toBe(server);
      await first.stop();
      const nc = await connect({ servers: server.url });
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  it('with start: false, leaves app.start() to the caller', async () => {
    const { app, stop } = await createTestApp({ services: [GreeterService], logger: quiet, start: false });
    try {
      await expect(app.client.request('test.greeter.hello', { name: 'Bo' }, { timeout: 200 })).rejects.toThrow();
      await app.start();
      await expect(app.client.request('test.greeter.hello', { name: 'Bo' })).resolves.toEqual({ greeting: 'hello Bo' });
    } finally {
      await stop();
    }
  });

  it('stops the server it started when the app cannot be created', async () => {
    class NotAService {}
    await expect(createTestApp({ services: [NotAService], logger: quiet })).rejects.toMatchObject({ code: 'NOT_A_SERVICE' });
    expect(childServers()).toEqual([]);
  });
});

/** nats-servers this test process still runs (each sits under a watchdog shell, a direct child). */
function childServers(): string[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when the process has no children.
  }
  return out.split('\n').filter((line) => line.includes('natsmesh-nats-watchdog'));
}
