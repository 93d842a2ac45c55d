#!/usr/bin/env node
// Runs the TypeScript entry point with the workspace's source condition, so no build is needed.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const loader = pathToFileURL(require.resolve('tsx')).href;
const entry = join(__dirname, '..', 'src', 'main.ts');
const child = spawn(
  process.execPath,
  ['--conditions=development', '--import', loader, entry, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Ctrl-C reaches the child too (same process group); it decides what stopping means.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
