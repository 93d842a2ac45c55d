// `npm start`: the whole platform in one process on the embedded defaults.
import { ConfigError, createLogger, createShutdown, envBool, envLogLevel, parseConfig } from '@barfinex/service-kit';
import { z } from 'zod';
import { startStack } from './stack';

const LauncherConfigSchema = z.object({ LOG_LEVEL: envLogLevel('info'), LOG_PRETTY: envBool(false) });

async function main(): Promise<void> {
  const { LOG_LEVEL, LOG_PRETTY } = parseConfig(LauncherConfigSchema, process.env);
  const logger = createLogger({ name: 'barfinex', level: LOG_LEVEL, pretty: LOG_PRETTY || process.argv.includes('--pretty') });
  // One Ctrl-C reaches this process more than once (the terminal signals the whole group, npm
  // relays it too); createShutdown treats a repeat within a second as the same one.
  const shutdown = createShutdown({ logger, timeoutMs: 20_000 });
  const starting = startStack({ env: process.env, logger });
  // A Ctrl-C during start-up lets the start finish, then stops what it started.
  shutdown.add('stack', async () => {
    const started = await starting.catch(() => undefined);
    await started?.stop();
  });
  shutdown.listen();
  const stack = await starting;

  logger.info({ ...stack.urls, bus: stack.bus, database: stack.database }, 'stack ready');
  const lines = [
    '',
    'Barfinex is running (Ctrl-C stops everything)',
    `  REST      ${stack.urls.provider}`,
    `  API docs  ${stack.urls.docs}`,
    `  Socket.IO ${stack.urls.ws}`,
    `  apps      detector ${stack.urls.detector} · advisor ${stack.urls.advisor} · inspector ${stack.urls.inspector} (reach them through /api/{detectors,advisors,inspectors}/<key>/...)`,
    `  bus       ${stack.bus}, database ${stack.database}`,
    `  token     ${process.env['PROVIDER_API_TOKEN'] ? '(from PROVIDER_API_TOKEN)' : stack.token}${stack.tokenGenerated ? `  (new, stored in ${stack.tokenFile})` : ''}`,
    `  try       curl -H "Authorization: Bearer <token>" ${stack.urls.provider}/options`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`barfinex: invalid configuration\n${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`barfinex failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
