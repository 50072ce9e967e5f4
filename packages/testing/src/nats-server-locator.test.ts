import { dockerEndpoint, dockerEngineAnswers } from './docker-engine';
import type { TestcontainersModule } from './nats-container';
import { locateNatsServer } from './nats-server-locator';

const nothingInstalled = { env: { PATH: '/nonexistent' }, fallbackPaths: ['/nonexistent/nats-server'] };
const fakeTestcontainers = { GenericContainer: class {} } as unknown as TestcontainersModule;

describe('locateNatsServer', () => {
  it('picks the binary when one is found, without asking Docker', async () => {
    const dockerAnswers = jest.fn(async () => true);
    await expect(
      locateNatsServer({ env: { PATH: '/nonexistent' }, fallbackPaths: ['/bin/sh'], loadTestcontainers: () => fakeTestcontainers, dockerAnswers }),
    ).resolves.toEqual({ kind: 'binary', path: '/bin/sh' });
    expect(dockerAnswers).not.toHaveBeenCalled();
  });

  it('without a binary and without testcontainers, throws NATS_SERVER_NOT_FOUND saying how to fix it', async () => {
    const err = await locateNatsServer({ ...nothingInstalled, loadTestcontainers: () => undefined }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TestingError', code: 'NATS_SERVER_NOT_FOUND' });
    const message = (err as Error).message;
    expect(message).toContain('/nonexistent/nats-server');
    expect(message).toContain('testcontainers is not installed');
    expect(message).toContain('apt-get install -y nats-server');
    expect(message).toContain('NATS_SERVER_BIN=/path/to/nats-server');
    expect(message).toContain('npm install -D testcontainers');
  });

  it('without a binary and with testcontainers but no Docker engine, says Docker did not answer', async () => {
    // A real probe of a socket that does not exist: this machine has no Docker either.
    const env = { ...nothingInstalled.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const err = await locateNatsServer({ ...nothingInstalled, env, loadTestcontainers: () => fakeTestcontainers }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NATS_SERVER_NOT_FOUND' });
    expect((err as Error).message).toContain('no Docker engine answered at DOCKER_HOST=unix:///nonexistent/docker.sock');
    expect((err as Error).message).toContain('apt-get install -y nats-server');
  });

  it('without a binary, uses testcontainers when it loads and Docker answers', async () => {
    await expect(
      locateNatsServer({ ...nothingInstalled, loadTestcontainers: () => fakeTestcontainers, dockerAnswers: async () => true }),
    ).resolves.toEqual({ kind: 'container', testcontainers: fakeTestcontainers });
  });

  it('for a cluster, never offers the container route', async () => {
    const err = await locateNatsServer({ ...nothingInstalled, allowContainer: false, loadTestcontainers: () => fakeTestcontainers, dockerAnswers: async () => true }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'NATS_SERVER_NOT_FOUND' });
    expect((err as Error).message).toContain('a cluster needs the binary');
    expect((err as Error).message).not.toContain('testcontainers');
  });
});

describe('dockerEndpoint', () => {
  it('reads unix and tcp DOCKER_HOST values', () => {
    expect(dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual({ host: '10.0.0.5', port: 2376 });
  });

  it('answers false, without throwing, when nothing listens', async () => {
    await expect(dockerEngineAnswers({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).resolves.toBe(false);
    await expect(dockerEngineAnswers({ DOCKER_HOST: 'tcp://127.0.0.1:1' })).resolves.toBe(false);
  });
});
