/** Unit tests run without NATS; integration tests start their own nats-server through @natsmesh/testing. */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleNameMapper: { '^@natsmesh/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts' },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

module.exports = {
  // A project-level testTimeout is ignored by jest; this one applies to every suite.
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/packages/*/test/**/*.int.test.ts',
        '<rootDir>/examples/*/test/**/*.test.ts',
        '<rootDir>/test/**/*.test.ts',
      ],
    },
  ],
};
