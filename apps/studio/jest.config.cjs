const path = require('node:path');
// Run-wide options (reporters, forceExit) belong to the root config here, not to each project.
const { reporters, forceExit, ...preset } = require('../../jest.preset.cjs');

const swc = (tsx) => [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', tsx },
      ...(tsx ? { transform: { react: { runtime: 'automatic' } } } : {}),
    },
    module: { type: 'commonjs' },
  },
];

// Two suites: component and unit tests in jsdom, and the browser tests (e2e/), which start the
// whole platform and drive Debian's Chromium through playwright-core.
module.exports = {
  reporters,
  forceExit,
  projects: [
    {
      ...preset,
      displayName: 'studio',
      rootDir: __dirname,
      testEnvironment: 'jsdom',
      testEnvironmentOptions: { customExportConditions: ['development', 'browser', 'require', 'default'] },
      transform: { '^.+\\.(t|j)sx?$': swc(true) },
      moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
      moduleNameMapper: { '\\.css$': path.join(__dirname, 'src/testing/style-stub.cjs') },
    },
    {
      ...preset,
      displayName: 'studio-browser',
      rootDir: __dirname,
      transform: { '^.+\\.ts$': swc(false) },
      testMatch: ['<rootDir>/e2e/**/*.e2e.spec.ts'],
      testTimeout: 240000,
    },
  ],
};
