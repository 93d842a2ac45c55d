const path = require('node:path');
const preset = require('../../jest.preset.cjs');

// Component tests: jsdom, TSX through swc with React's automatic runtime. Browser tests (e2e/) run
// against a real stack with Chromium and have their own config (jest.e2e.config.cjs).
module.exports = {
  ...preset,
  displayName: 'studio',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testEnvironmentOptions: { customExportConditions: ['development', 'browser', 'require', 'default'] },
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
  moduleNameMapper: { '\\.css$': path.join(__dirname, 'src/testing/style-stub.cjs') },
};
