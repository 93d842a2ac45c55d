import pino from 'pino';
import { createMemoryBus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import type { EventEnvelope } from '@barfinex/events';
import { createProvider } from '../../../app';
import { loadProviderConfig } from '../../../config';
import type { ExchangeConnector } from '../../connector';

const TOKEN = 'test-token-0123456789';

/** A provider on a free port serving one venue connector, recording every bus event and reply body. */
export async function startProviderWith(db: Database, connector: ExchangeConnector) {
  const seen: EventEnvelope[] = [];
  const bodies: string[] = [];
  const bus = createMemoryBus();
  await bus.subscribeAll((env) => void seen.push(env));
  const config = loadProviderConfig({
    PROVIDER_PORT: '1',
    PROVIDER_HOST: '127.0.0.1',
    PROVIDER_API_TOKEN: TOKEN,
    CANDLE_FLUSH_MS: '50ms',
  });
  const provider = createProvider({
    config: { ...config, PROVIDER_PORT: 0 },
    logger: pino({ level: 'silent' }),
    db,
    bus,
    connectors: [connector],
  });
  const base = `http://127.0.0.1:${(await provider.start()).port}`;
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    bodies.push(text);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  return { provider, seen, bodies, call, stop: () => provider.stop() };
}
