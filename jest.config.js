// Five projects: `unit` (no services, tests beside the code they prove), `integration` (real Kafka and
// Cassandra; the global setup starts the native stack when nothing answers and stops only what it
// started), `e2e` (the real sls commands: invoke local, offline with the Kafka emulator), `deploy`
// (the packaged templates, and a real `sls deploy` to moto's AWS API emulator) and `cluster` (the
// three-node stack; `npm run test:cluster` only, as `npm test` selects the other four).
// @middy/core 7 is published as ESM only, with an `import` export and no `require` one: jest is
// pointed at its entry file and ts-jest turns it into CommonJS like the project's own files.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true }, diagnostics: false }],
  '^.+/node_modules/@middy/.+\\.js$': ['ts-jest', { tsconfig: { module: 'commonjs', allowJs: true, isolatedModules: true }, diagnostics: false }],
};
const esmOnly = {
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleNameMapper: { '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js' },
};

module.exports = {
  testTimeout: 60_000,
  // KafkaJS and cassandra-driver leave reconnect timers behind after their clients are closed; without
  // this a finished run can sit for a minute before exiting. Tests still close every client they open.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      transform,
      ...esmOnly,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/functions/**/*.test.ts',
        '<rootDir>/contract/**/*.test.ts',
        '<rootDir>/infra/**/*.test.ts',
        '<rootDir>/bench/**/*.test.ts',
        '<rootDir>/test/*.test.ts',
      ],
    },
    {
      displayName: 'integration',
      transform,
      ...esmOnly,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      displayName: 'e2e',
      transform,
      ...esmOnly,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      displayName: 'deploy',
      transform,
      ...esmOnly,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/deploy/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/deploy-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      displayName: 'cluster',
      transform,
      ...esmOnly,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
