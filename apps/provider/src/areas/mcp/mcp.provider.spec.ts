import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';

let db: Database;
let h: Harness;
const tokens: Record<'read' | 'trade', string> = { read: '', trade: '' };

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.baseUrl}/api${path}`, {
    method,
    headers: { ...h.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus: createMemoryBus() });
  const t0 = Date.UTC(2026, 0, 5);
  await h.provider.areas.candles.upsert(
    [0, 1, 2].map((i) => ({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'BTCUSDT',
      interval: 'min1',
      openTime: t0 - (3 - i) * 60_000,
      closeTime: t0 - (2 - i) * 60_000 - 1,
      open: '60000',
      high: '60010',
      low: '59990',
      close: '60005',
      volume: '1',
      trades: 3,
      closed: true,
    })),
  );
  for (const [kind, scopes] of [
    ['read', ['read']],
    ['trade', ['read', 'trade']],
  ] as const) {
    const created = await api('POST', '/auth/tokens', { name: `mcp-${kind}`, scopes });
    tokens[kind] = created.body['secret'] as string;
  }
});
afterAll(async () => {
  await h.stop();
  await db.close();
});

const ORDER = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity: '0.01',
  connectorType: 'sim',
  marketType: 'spot',
};
const CANDLES = { params: { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', interval: 'min1' } };

const http = (token: string): Transport =>
  new StreamableHTTPClientTransport(new URL(`${h.baseUrl}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
const stdio = (token: string): Transport =>
  new StdioClientTransport({
    command: process.execPath,
    args: [
      resolve(__dirname, '../../../../../tools/cli/bin/barfinex.cjs'),
      'mcp',
      '--url',
      h.baseUrl,
      '--token',
      token,
    ],
    env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === 'string')),
    stderr: 'ignore',
  });

async function connect(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'barfinex-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const json = (result: unknown): Record<string, unknown> =>
  JSON.parse(((result as { content: Array<{ text: string }> }).content[0]?.text ?? 'null') as string) as Record<
    string,
    unknown
  >;
const orderCount = async () => (await api('GET', '/orders?limit=1')).body['total'] as number;

describe.each([
  ['Streamable HTTP', http],
  ['stdio (npx barfinex mcp)', stdio],
] as const)('the MCP server over %s', (_name, transport) => {
  it('lists the tools and resources, reads candles, dry-runs an order, trades with a trade token and refuses a read token', async () => {
    const reader = await connect(transport(tokens.read));
    const trader = await connect(transport(tokens.trade));
    try {
      const { tools } = await reader.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['placeOrder', 'candles', 'listOrders', 'whoami']));
      expect(tools.find((t) => t.name === 'placeOrder')?.inputSchema).toMatchObject({
        type: 'object',
        properties: { body: expect.any(Object), dryRun: { type: 'boolean' } },
      });
      expect((await reader.listResources()).resources.map((r) => r.uri)).toEqual([
        'barfinex://events/catalog',
        'barfinex://events/recent',
      ]);
      const catalog = await reader.readResource({ uri: 'barfinex://events/catalog' });
      expect(JSON.parse((catalog.contents[0] as { text: string }).text)).toMatchObject({
        items: expect.arrayContaining([expect.objectContaining({ systemName: 'PROVIDER_ORDER_CREATE' })]),
      });

      const candles = await reader.callTool({ name: 'candles', arguments: CANDLES });
      expect(candles.isError).toBeFalsy();
      expect(json(candles)).toMatchObject({
        status: 200,
        body: [expect.objectContaining({ close: '60005' }), expect.any(Object), expect.any(Object)],
      });

      const before = await orderCount();
      // A read token's write tools default to a dry run: checked against the venue's filters, nothing placed.
      const dry = await reader.callTool({ name: 'placeOrder', arguments: { body: ORDER } });
      expect(dry.isError).toBeFalsy();
      expect(json(dry)).toMatchObject({ dryRun: true, placed: false, status: 200, result: { valid: true } });
      const tooSmall = await reader.callTool({
        name: 'placeOrder',
        arguments: { body: { ...ORDER, quantity: '0.0000001' } },
      });
      expect(tooSmall.isError).toBe(true);
      expect(await orderCount()).toBe(before);

      // Asked to trade for real, a read token is refused as on REST.
      const refused = await reader.callTool({ name: 'placeOrder', arguments: { body: ORDER, dryRun: false } });
      expect(refused.isError).toBe(true);
      expect(json(refused)).toMatchObject({
        status: 403,
        body: { error: { code: 'FORBIDDEN', details: { requiredScope: 'trade' } } },
      });
      expect(await orderCount()).toBe(before);

      // A trade token's default is the real thing: a sim order.
      const placed = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER } });
      expect(placed.isError).toBeFalsy();
      expect(json(placed)).toMatchObject({
        status: 201,
        body: { symbol: 'BTCUSDT', status: 'FILLED', tokenId: expect.stringMatching(/^tok_/) },
      });
      expect(await orderCount()).toBe(before + 1);
      const traderDry = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER, dryRun: true } });
      expect(json(traderDry)).toMatchObject({ dryRun: true, placed: false });
      expect(await orderCount()).toBe(before + 1);
    } finally {
      await reader.close();
      await trader.close();
    }
  }, 90_000);
});

describe('a kill switch trip', () => {
  it('stops agent trading: the order tool is refused and a dry run says why', async () => {
    // A stand-in inspector whose kill switch is engaged, registered as any inspector is.
    const inspector = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url?.endsWith('/inspector/kill-switch') ? { active: true, reason: 'drawdown' } : {}));
    });
    await new Promise<void>((done) => inspector.listen(0, '127.0.0.1', done));
    const port = (inspector.address() as AddressInfo).port;
    expect(
      (
        await api('POST', '/apps/registry/register', {
          appType: 'inspector',
          appKey: 'risk-stub',
          baseUrl: `http://127.0.0.1:${port}`,
        })
      ).status,
    ).toBe(201);
    const trader = await connect(http(tokens.trade));
    try {
      const before = await orderCount();
      const live = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER } });
      expect(live.isError).toBe(true);
      expect(json(live)).toMatchObject({
        error: { code: 'KILL_SWITCH', message: expect.stringContaining('risk-stub') },
      });
      const dry = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER, dryRun: true } });
      expect(json(dry)).toMatchObject({
        dryRun: true,
        placed: false,
        refusedBy: expect.stringContaining('kill switch'),
      });
      expect(await orderCount()).toBe(before);
    } finally {
      await trader.close();
      await api('POST', '/apps/registry/unregister', { appType: 'inspector', appKey: 'risk-stub' });
      await new Promise<void>((done) => inspector.close(() => done()));
    }
  });
});

describe('an order dry run against the inspectors', () => {
  it('reports a position cap the order would break', async () => {
    const inspector = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/inspector/kill-switch')) res.end(JSON.stringify({ active: false }));
      else res.end(JSON.stringify({ policies: { maxPositionNotional: '1' } }));
    });
    await new Promise<void>((done) => inspector.listen(0, '127.0.0.1', done));
    const port = (inspector.address() as AddressInfo).port;
    expect(
      (
        await api('POST', '/apps/registry/register', {
          appType: 'inspector',
          appKey: 'cap-stub',
          baseUrl: `http://127.0.0.1:${port}`,
        })
      ).status,
    ).toBe(201);
    const reader = await connect(http(tokens.read));
    try {
      // A limit order: its value is known from its own price (a market order's needs a last price).
      const dry = await reader.callTool({
        name: 'placeOrder',
        arguments: { body: { ...ORDER, type: 'LIMIT', price: '60000', timeInForce: 'GTC' } },
      });
      expect(dry.isError).toBe(true);
      expect(json(dry)).toMatchObject({
        dryRun: true,
        placed: false,
        refusedBy: expect.stringContaining("inspector cap-stub: the order's value"),
      });
    } finally {
      await reader.close();
      await api('POST', '/apps/registry/unregister', { appType: 'inspector', appKey: 'cap-stub' });
      await new Promise<void>((done) => inspector.close(() => done()));
    }
  });
});

describe('the /mcp endpoint', () => {
  it('needs a token', async () => {
    const res = await fetch(`${h.baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });
});
