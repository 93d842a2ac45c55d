// Shared jest settings: swc transpiles (type checking is the `typecheck` target's job) and
// workspace libs resolve to their TypeScript sources through the "development" export condition.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['development', 'node', 'require', 'default'] },
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: false } }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: path.join(__dirname, 'tools/jest/global-setup.cjs'),
  testTimeout: 30000,
  // Bounds one test file's run from outside the test process (see the reporter).
  reporters: ['default', path.join(__dirname, 'tools/jest/watchdog-reporter.cjs')],
  // Under CI a run ends when its results are in: a handle left open by a failed or timed-out hook
  // (a server, a bus connection, a child process) must not hold the job until its time limit.
  // Locally jest keeps waiting and says so, which is how such a leak is found.
  forceExit: process.env.CI === 'true',
};
