// `npm run test:mutation`: StrykerJS over the functions' code (not their wiring), the event-source mapping
// (infra/mapping, and the Lambda Kafka event format in contract/) and the emulator's decisions, with
// the fast tests only (jest's `unit` project, no services). Report: reports/mutation/ (ignored by
// git). Equivalent mutants are explained beside the code, as `// Stryker disable next-line …: why` comments.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.js',
    enableFindRelatedTests: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'functions/**/*.ts',
    '!functions/**/*.test.ts',
    '!functions/*/handler.ts',
    'infra/mapping/*.ts',
    '!infra/mapping/*.test.ts',
    'contract/lambda-kafka-event.ts',
    'infra/local/kafka-emulator/delivery-decisions.ts',
    'infra/local/kafka-emulator/record-buffer.ts',
    'infra/local/kafka-emulator/event-filter.ts',
  ],
  // The sandbox needs the sources and tests; not the stack's jars, data and tools under .local.
  ignorePatterns: ['.local', '.esbuild', '.serverless*', 'bench/results', 'reports'],
  coverageAnalysis: 'perTest',
  // One TypeScript checker and two jest runners: the runners are the slow part.
  concurrency: 3,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Reruns test only the mutants whose code or covering tests changed since the last run's report.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: 85 },
};
