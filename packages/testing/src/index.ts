export { startNatsServer } from './start-nats-server';
export type { StartNatsServerOptions } from './start-nats-server';
export type { NatsServerHandle, NatsServerTlsFiles } from './nats-server-handle';

export { startNatsCluster } from './start-nats-cluster';
export type { StartNatsClusterOptions, NatsClusterHandle } from './start-nats-cluster';

export { createTestApp } from './create-test-app';
export { catchMeshError } from './catch-mesh-error';
export { nextRules } from './next-rules';
export type { CreateTestAppOptions, TestApp } from './create-test-app';

export { TestingError, TESTING_ERROR_CODES } from './errors';
export type { TestingErrorCode } from './errors';
