// `npm start`: the whole platform in one process on the embedded defaults.
import { ConfigError, createLogger, createShutdown, envBool, envLogLevel, parseConfig } from '@barfinex/service-kit';
import { z } from 'zod';
import { startStack } from './stack';
import { buildStudio, studioBuildReason } from './studio-build';

const LauncherConfigSchema = z.object({
  LOG_LEVEL: envLogLevel('info'),
  LOG_PRETTY: envBool(false),
  // json: pino JSON lines (the default when stdout is not a terminal); human: a short banner, then
  // warnings and errors only, readable (the default on a terminal).
  LOG_FORMAT: z.enum(['json', 'human']).optional(),
});

async function main(): Promise<void> {
  const { LOG_LEVEL, LOG_PRETTY, LOG_FORMAT } = parseConfig(LauncherConfigSchema, process.env);
  const pretty = LOG_PRETTY || process.argv.includes('--pretty');
  const human = LOG_FORMAT === 'human' || (LOG_FORMAT === undefined && !pretty && process.stdout.isTTY === true);
  const logger = createLogger({
    name: 'barfinex',
    level: human && !process.env['LOG_LEVEL'] ? 'warn' : LOG_LEVEL,
    pretty: pretty || human,
  });
  if (human) process.stdout.write('Barfinex is starting…\n');
  if (!process.env['PROVIDER_STUDIO_DIR']) {
    const reason = studioBuildReason();
    if (reason) {
      if (human) process.stdout.write(`Building Studio (${reason})…\n`);
      else logger.info({ reason }, 'building Studio');
      // Studio is what a trader opens; a broken build is reported, and the API starts regardless.
      await buildStudio().catch((err: unknown) =>
        logger.error({ err }, 'Studio could not be built; the API runs without it'),
      );
    }
  }
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
  const studioUrl = stack.urls.provider.replace(/\/api$/, '/');
  const lines = [
    '',
    'Barfinex is running (Ctrl-C stops everything)',
    `  Studio    ${studioUrl}   (open in a browser, sign in with the token below)`,
    `  REST      ${stack.urls.provider}`,
    `  API docs  ${stack.urls.docs}`,
    `  Socket.IO ${stack.urls.ws}`,
    `  apps      detector ${stack.urls.detector} · advisor ${stack.urls.advisor} · inspector ${stack.urls.inspector} · notifier ${stack.urls.notifier} (reach them through /api/{detectors,advisors,inspectors,notifiers}/<key>/...)`,
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
  process.stderr.write(
    `barfinex failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
