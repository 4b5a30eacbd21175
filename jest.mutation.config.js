// The fast tests only (jest's `unit` project, no services), for `npm run test:mutation`. A file of
// its own: Stryker merges a `config` option over jest.config.js, whose `projects` would bring the
// integration tests and their global setup (which starts a stack) into every sandbox.
const { projects, testTimeout } = require('./jest.config.js');

const unit = projects.find((project) => project.displayName === 'unit');

module.exports = {
  testTimeout,
  transform: unit.transform,
  testEnvironment: unit.testEnvironment,
  testMatch: unit.testMatch,
  // Not the launcher's tests: they start JVMs when an address mutant points them at real ports.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/infra/local/stack/'],
};
