// The embedded stack: provider, detector, advisor, inspector and notifier in one process, sharing one
// database (embedded PGlite by default) and, without NATS_URL, one in-memory bus. With NATS_URL
// each app gets its own NATS connection, exactly as when they run as separate containers.
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createAdvisorApp, loadAdvisorConfig } from '@barfinex/advisor';
import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createDetectorApp, loadDetectorConfig } from '@barfinex/detector';
import { createInspectorApp, loadInspectorConfig } from '@barfinex/inspector';
import { createNotifierApp, loadNotifierConfig } from '@barfinex/notifier';
import { bootProvider, ensureApiToken, loadProviderConfig } from '@barfinex/provider';
import { createProviderClient } from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import { withTimeout } from '@barfinex/service-kit';
import type { Env } from '@barfinex/service-kit';

export interface StackOptions {
  env: Env;
  logger: Logger;
  /** Longest one part (an app, a bus connection, the database) may take to stop; default 5 s. */
  stopTimeoutMs?: number;
  /** Hears every call an app makes through its provider client (`orders.create`, `market.ticker`, ...): what the apps still ask over REST. */
  onProviderCall?: (call: ProviderCall) => void;
}

export interface ProviderCall {
  app: 'detector' | 'advisor' | 'inspector' | 'notifier';
  /** The client method, e.g. `accounts.assets`. */
  method: string;
}

/** The client as it is, or one that reports each method call before making it. */
function observed(
  client: ProviderClient,
  app: ProviderCall['app'],
  onCall: StackOptions['onProviderCall'],
): ProviderClient {
  if (!onCall) return client;
  const wrap = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value: unknown = Reflect.get(t, prop, receiver);
        if (typeof prop !== 'string') return value;
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            onCall({ app, method: `${prefix}${prop}` });
            return (value as (...a: unknown[]) => unknown).apply(t, args);
          };
        }
        return value !== null && typeof value === 'object' ? wrap(value, `${prefix}${prop}.`) : value;
      },
    });
  return wrap(client, '');
}

export interface RunningStack {
  token: string;
  tokenGenerated: boolean;
  tokenFile: string;
  database: Database['kind'];
  bus: 'nats' | 'in-memory';
  urls: {
    provider: string;
    docs: string;
    ws: string;
    detector: string;
    advisor: string;
    inspector: string;
    notifier: string;
  };
  stop(): Promise<void>;
}

interface Stoppable {
  name: string;
  stop(): Promise<unknown> | unknown;
}

/** Starts the apps in order (provider first, so the others can register) and returns a handle that stops them in reverse. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { env, logger } = options;
  const dataDir = resolve(env['BARFINEX_DATA_DIR'] ?? './data');
  const providerConfig = loadProviderConfig({ DATABASE_URL: `pglite:${resolve(dataDir, 'pglite')}`, ...env });
  const { token, generated, file } = ensureApiToken(providerConfig.PROVIDER_API_TOKEN, dataDir);
  const stoppers: Stoppable[] = [];
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  // Each part is bounded, so one that hangs cannot keep the others (and Ctrl-C) waiting.
  const stop = async (): Promise<void> => {
    for (const s of stoppers.splice(0).reverse()) {
      try {
        await withTimeout(async () => void (await s.stop()), stopTimeoutMs);
      } catch (err) {
        logger.error({ err, component: s.name }, 'stop failed');
      }
    }
  };

  try {
    const db = await createDatabase({
      url: providerConfig.DATABASE_URL,
      onError: (err) => logger.warn({ err }, 'database connection error'),
    });
    stoppers.push({ name: 'database', stop: () => db.close() });
    logger.info({ kind: db.kind, migrations: db.migrations }, 'database ready');

    const shared = providerConfig.NATS_URL
      ? undefined
      : createMemoryBus({ onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem') });
    if (shared) stoppers.push({ name: 'bus', stop: () => shared.close() });
    const busFor = async (name: string): Promise<Bus> => {
      if (shared) return shared;
      const bus = await createNatsBus({
        servers: providerConfig.NATS_URL as string,
        name,
        subjectPrefix: providerConfig.NATS_SUBJECT_PREFIX,
        streamName: providerConfig.NATS_STREAM,
        onError: (err, ctx) => logger.warn({ err, ...ctx, app: name }, 'bus problem'),
      });
      stoppers.push({ name: `${name} bus`, stop: () => bus.close() });
      return bus;
    };

    const providerLogger = logger.child({ app: 'provider' });
    const { provider, port } = await bootProvider({
      config: { ...providerConfig, PROVIDER_API_TOKEN: token },
      logger: providerLogger,
      db,
      bus: await busFor('provider'),
    });
    stoppers.push({ name: 'provider', stop: () => provider.stop() });
    const providerUrl = `http://127.0.0.1:${port}`;

    // Least privilege: each app gets its own token with only the scopes it needs (the inspector is
    // the only one that may trade); PROVIDER_API_TOKEN stays with the operator.
    const appTokens = await provider.access.provisionAppTokens();
    // Each app reads its own variables from the same environment; where to find the provider is fixed here.
    const envOf = (app: ProviderCall['app']): Env => ({
      ...env,
      PROVIDER_URL: providerUrl,
      PROVIDER_API_TOKEN: appTokens[app],
    });
    const client = (app: ProviderCall['app']): ProviderClient => {
      const c = createProviderClient({ baseUrl: providerUrl, token: appTokens[app], timeoutMs: 10_000 });
      stoppers.push({ name: 'provider client', stop: () => c.close() });
      return observed(c, app, options.onProviderCall);
    };

    const detectorConfig = loadDetectorConfig(envOf('detector'));
    const detector = await createDetectorApp({
      config: detectorConfig,
      logger: logger.child({ app: 'detector' }),
      bus: await busFor('detector'),
      provider: client('detector'),
    });
    const detectorUrl = (await detector.start()).url;
    stoppers.push({ name: 'detector', stop: () => detector.stop() });

    const advisorConfig = loadAdvisorConfig(envOf('advisor'));
    const advisor = await createAdvisorApp({
      config: advisorConfig,
      logger: logger.child({ app: 'advisor' }),
      bus: await busFor('advisor'),
      db,
      provider: client('advisor'),
    });
    const advisorUrl = (await advisor.start()).url;
    stoppers.push({ name: 'advisor', stop: () => advisor.stop() });

    const inspectorConfig = loadInspectorConfig(envOf('inspector'));
    const inspector = await createInspectorApp({
      config: inspectorConfig,
      logger: logger.child({ app: 'inspector' }),
      bus: await busFor('inspector'),
      db,
      provider: client('inspector'),
    });
    const inspectorUrl = (await inspector.start()).url;
    stoppers.push({ name: 'inspector', stop: () => inspector.stop() });

    const notifierConfig = loadNotifierConfig(envOf('notifier'));
    const notifier = await createNotifierApp({
      config: notifierConfig,
      logger: logger.child({ app: 'notifier' }),
      bus: await busFor('notifier'),
      db,
      provider: client('notifier'),
    });
    const notifierUrl = (await notifier.start()).url;
    stoppers.push({ name: 'notifier', stop: () => notifier.stop() });

    const base = `http://localhost:${port}`;
    return {
      token,
      tokenGenerated: generated,
      tokenFile: file,
      database: db.kind,
      bus: shared ? 'in-memory' : 'nats',
      urls: {
        provider: `${base}/api`,
        docs: `${base}/docs`,
        ws: `${base}/ws`,
        detector: detectorUrl,
        advisor: advisorUrl,
        inspector: inspectorUrl,
        notifier: notifierUrl,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
