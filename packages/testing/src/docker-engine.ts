import { existsSync } from 'node:fs';
import { request } from 'node:http';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where a Docker engine would answer, read from `DOCKER_HOST` or the default socket. */
export type DockerEndpoint = { socketPath: string } | { host: string; port: number };

/** The endpoint `DOCKER_HOST` names, else the default socket when it exists, else `undefined`. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): DockerEndpoint | undefined {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
    const m = /^(?:tcp|http|https):\/\/([^:/]+)(?::(\d+))?/.exec(dockerHost);
    if (m) return { host: m[1], port: m[2] ? Number(m[2]) : 2375 };
    return undefined;
  }
  return existsSync(DEFAULT_SOCKET) ? { socketPath: DEFAULT_SOCKET } : undefined;
}

/** Resolves true when a Docker engine answers `GET /_ping` within `timeoutMs`; never rejects. */
export function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1500): Promise<boolean> {
  const endpoint = dockerEndpoint(env);
  if (!endpoint) return Promise.resolve(false);
  return new Promise((done) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}

/** Describes the Docker endpoint for error messages. */
export function describeDockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_HOST) return `DOCKER_HOST=${env.DOCKER_HOST}`;
  return `${DEFAULT_SOCKET} (DOCKER_HOST is unset)`;
}
