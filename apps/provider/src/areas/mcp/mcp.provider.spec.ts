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
      expect(tools.find((t) => t.name === 'placeOrder')?.description).toContain(
        "judged by every active inspector's kill switch and risk policies",
      );
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

/** A stand-in inspector, registered as any inspector is: answers its kill switch and order checks as told, and keeps what reached it. */
async function standInInspector(
  appKey: string,
  answer: { killSwitch: boolean; check: (method: string) => { status: number; body: unknown } },
) {
  const seen: Array<{ method: string; url: string; body: Record<string, unknown> }> = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/inspector/risk/check')) {
        const { status, body } = answer.check(req.method ?? '');
        res.statusCode = status;
        return res.end(JSON.stringify(body));
      }
      res.end(
        JSON.stringify(
          req.url?.endsWith('/inspector/kill-switch') ? { active: answer.killSwitch, reason: 'drawdown' } : {},
        ),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const registered = await api('POST', '/apps/registry/register', {
    appType: 'inspector',
    appKey,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  expect(registered.status).toBe(201);
  return {
    seen,
    checks: () => seen.filter((r) => r.url.startsWith('/inspector/risk/check')),
    async close(): Promise<void> {
      await api('POST', '/apps/registry/unregister', { appType: 'inspector', appKey });
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

const verdict = (allowed: boolean, policy?: string, reason = 'every policy passed') => ({
  status: 200,
  body: {
    allowed,
    action: allowed ? 'ALLOW' : policy === 'tradesPerDay' ? 'THROTTLE' : 'BLOCK',
    ...(policy ? { policy } : {}),
    reason,
    checks: [],
    numbers: {},
    recorded: false,
  },
});

describe('a kill switch trip', () => {
  it('stops agent trading: the order and leverage tools are refused and a dry run says why', async () => {
    const inspector = await standInInspector('risk-stub', {
      killSwitch: true,
      check: () => verdict(false, 'killSwitch', 'kill switch active: drawdown'),
    });
    const trader = await connect(http(tokens.trade));
    try {
      const before = await orderCount();
      const live = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER } });
      expect(live.isError).toBe(true);
      expect(json(live)).toMatchObject({
        error: { code: 'KILL_SWITCH', message: expect.stringContaining('inspector risk-stub: kill switch active') },
      });
      const dry = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER, dryRun: true } });
      expect(json(dry)).toMatchObject({
        dryRun: true,
        placed: false,
        refusedBy: expect.stringContaining('kill switch'),
      });
      const leverage = await trader.callTool({
        name: 'leverage',
        arguments: { body: { symbol: 'BTCUSDT', leverage: 2, connectorType: 'sim', marketType: 'futures' } },
      });
      expect(json(leverage)).toMatchObject({ error: { code: 'KILL_SWITCH' } });
      expect(await orderCount()).toBe(before);
    } finally {
      await trader.close();
      await inspector.close();
    }
  });
});

describe("an agent's order and the inspectors' risk policies", () => {
  it('a live order passes every active inspector first: a refusal is returned with its reason and nothing is placed', async () => {
    let allow = false;
    const inspector = await standInInspector('gate-stub', {
      killSwitch: false,
      check: () =>
        allow ? verdict(true) : verdict(false, 'tradesPerDay', '10 trades today reached the daily limit of 10'),
    });
    const trader = await connect(http(tokens.trade));
    try {
      const before = await orderCount();
      const refused = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER } });
      expect(refused.isError).toBe(true);
      expect(json(refused)).toMatchObject({
        error: {
          code: 'RISK_REFUSED',
          message: expect.stringContaining('10 trades today reached the daily limit of 10'),
          details: {
            refusals: [{ inspector: 'gate-stub', policy: 'tradesPerDay' }],
            clientOrderId: expect.stringMatching(/^mcp-/),
          },
        },
      });
      expect(await orderCount()).toBe(before);
      // The gate is the inspector's POST (recorded there), with the order, its client id and who asks.
      expect(inspector.checks()).toEqual([
        {
          method: 'POST',
          url: '/inspector/risk/check',
          body: {
            ...ORDER,
            clientOrderId: (json(refused)['error'] as { details: { clientOrderId: string } }).details.clientOrderId,
            actor: 'mcp-trade',
          },
        },
      ]);

      // Allowed, the order goes out under the client id the inspector judged.
      allow = true;
      const placed = await trader.callTool({ name: 'placeOrder', arguments: { body: { order: ORDER } } });
      expect(json(placed)).toMatchObject({ status: 201, body: { clientOrderId: expect.stringMatching(/^mcp-/) } });
      const placedId = (json(placed)['body'] as { clientOrderId: string }).clientOrderId;
      expect(inspector.checks()[1]?.body['clientOrderId']).toBe(placedId);
      expect(await orderCount()).toBe(before + 1);

      // A replacement is judged as the order it would place: the working order's terms with the changes.
      const resting = await api('POST', '/orders', { ...ORDER, type: 'LIMIT', price: '1000', timeInForce: 'GTC' });
      expect(resting.body['status']).toBe('NEW');
      allow = false;
      const replace = await trader.callTool({
        name: 'replaceOrder',
        arguments: { params: { orderId: resting.body['id'] }, body: { price: '1100' } },
      });
      expect(json(replace)).toMatchObject({ error: { code: 'RISK_REFUSED' } });
      expect(inspector.checks()[2]?.body).toMatchObject({ ...ORDER, type: 'LIMIT', price: '1100', quantity: '0.01' });
      expect((await api('GET', `/orders/${String(resting.body['id'])}`)).body['status']).toBe('NEW');
      await api('PUT', '/orders/close', { id: resting.body['id'] });

      // Each of the agent's gate calls (two refused, one let through) is in the provider's audit trail under its token.
      const audit = await api('GET', '/audit?limit=100&method=POST');
      const gateCalls = (audit.body['data'] as Array<{ tokenName: string; path: string }>).filter(
        (r) => r.tokenName === 'mcp-trade' && r.path.endsWith('/gate-stub/inspector/risk/check'),
      );
      expect(gateCalls).toHaveLength(inspector.checks().length);
      expect(gateCalls).toHaveLength(3);
    } finally {
      await trader.close();
      await inspector.close();
    }
  });

  it('a dry run asks every active inspector (nothing recorded there) and reports what it would refuse', async () => {
    const inspector = await standInInspector('cap-stub', {
      killSwitch: false,
      check: () => verdict(false, 'positionSize', 'BTCUSDT position would be 600, above the per-symbol cap 1'),
    });
    const reader = await connect(http(tokens.read));
    try {
      const dry = await reader.callTool({
        name: 'placeOrder',
        arguments: { body: { ...ORDER, type: 'LIMIT', price: '60000', timeInForce: 'GTC' } },
      });
      expect(dry.isError).toBe(true);
      expect(json(dry)).toMatchObject({
        dryRun: true,
        placed: false,
        refusedBy: 'inspector cap-stub: BTCUSDT position would be 600, above the per-symbol cap 1 (positionSize)',
      });
      const [asked] = inspector.checks();
      expect(asked?.method).toBe('GET');
      expect(new URL(asked?.url ?? '', 'http://x').searchParams.get('price')).toBe('60000');
    } finally {
      await reader.close();
      await inspector.close();
    }
  });

  it('an inspector that cannot judge the order refuses it', async () => {
    const inspector = await standInInspector('down-stub', {
      killSwitch: false,
      check: () => ({ status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } }),
    });
    const trader = await connect(http(tokens.trade));
    try {
      const before = await orderCount();
      const refused = await trader.callTool({ name: 'placeOrder', arguments: { body: ORDER } });
      expect(json(refused)).toMatchObject({
        error: { code: 'RISK_REFUSED', details: { refusals: [{ inspector: 'down-stub', policy: 'unavailable' }] } },
      });
      expect(await orderCount()).toBe(before);
    } finally {
      await trader.close();
      await inspector.close();
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
