// `npm run test:mutation`: StrykerJS over functions/lib/ and the emulator's decision functions, with
// the fast tests only (jest's `unit` project, no services). Report: reports/mutation/ (ignored by
// git); the score, its date and commit go to the README's "Mutation testing" section.
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
    'functions/lib/**/*.ts',
    '!functions/lib/**/*.test.ts',
    'infra/offline-kafka/delivery-decisions.ts',
    'infra/offline-kafka/record-buffer.ts',
    'infra/offline-kafka/event-filter.ts',
  ],
  // The sandbox needs the sources and tests; not the stack's jars, data and tools under .local.
  ignorePatterns: ['.local', '.esbuild', '.serverless*', 'bench/results', 'docs', 'reports'],
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
