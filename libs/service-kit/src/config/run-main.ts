import { ConfigError } from './parse-config';

/**
 * An app's entry point: its configuration read first (an invalid one exits 2 with the problems,
 * not a stack trace), then `start`; a failure to start exits 1 with the cause.
 */
export function runMain<C>(app: string, loadConfig: () => C, start: (config: C) => Promise<void>): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${app}: invalid configuration\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  start(config).catch((err: unknown) => {
    process.stderr.write(
      `${app} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
