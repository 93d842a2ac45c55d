// An AI agent trading over MCP against the whole platform (embedded: PGlite, in-memory bus): its
// orders meet the real inspector's kill switch and risk policies, through the provider's proxy,
// as a dry run and live; a refusal comes back with the inspector's reason, nothing is placed, and
// the decision is in the inspector's audit, the provider's audit trail and the event sink.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import pino from 'pino';
import { eventually } from '@barfinex/testing';
import { startStack } from './stack';
import type { RunningStack } from './stack';
import { freeAppPorts } from './test-ports';

jest.setTimeout(120_000);

const ORDER = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity: '0.1',
  connectorType: 'sim',
  marketType: 'futures',
};
const ADMIN = 'agent-risk-admin-0123456789abcdef';

/** What the order tool answers: the REST reply, or the refusal. */
interface ToolAnswer {
  error?: { code: string; message: string; details: { refusals: Array<{ policy: string }>; clientOrderId: string } };
  body?: { clientOrderId: string };
}
type Created = { id: string; secret: string };

describe("an agent's orders and the inspector's risk policies, end to end", () => {
  let dir: string;
  let stack: RunningStack;
  let base: string;
  const agents: Record<'reader' | 'trader', { id: string; secret: string; mcp: Client }> = {} as never;

  async function api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  const tool = async (who: 'reader' | 'trader', args: Record<string, unknown>) => {
    const result = await agents[who].mcp.callTool({ name: 'placeOrder', arguments: args });
    const content = result.content as Array<{ text: string }>;
    return { isError: result.isError === true, body: JSON.parse(content[0]?.text ?? 'null') as ToolAnswer };
  };
  const orders = async () => (await api<{ total: number }>('GET', '/orders?limit=1')).body.total;
  const inspectorAudit = async () =>
    (await api<{ items: unknown[] }>('GET', '/inspectors/inspector/audit?limit=100')).body.items;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bfx-agent-risk-'));
    stack = await startStack({
      logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
      env: {
        ...(await freeAppPorts()),
        BARFINEX_DATA_DIR: dir,
        PROVIDER_API_TOKEN: ADMIN,
        PROVIDER_HOST: '127.0.0.1',
        SIM_SYMBOLS: 'BTCUSDT',
        SIM_AUTOSTART: 'false',
        // The built-in detector watches another symbol: no signal of its own trades here.
        DETECTOR_SYMBOLS: 'ETHUSDT',
        INSPECTOR_RECONCILE_MS: '1h',
      },
    });
    base = stack.urls.provider.replace(/\/api$/, '');
    await api('POST', '/connectors/sim/pause');
    expect(
      (await api('POST', '/connectors/sim/price', { symbol: 'BTCUSDT', marketType: 'futures', price: '60000' })).status,
    ).toBe(200);
    await eventually(
      async () => expect((await api<{ count: number }>('GET', '/apps/registry')).body.count).toBe(4),
      30_000,
      100,
    );
    for (const [who, scopes] of [
      ['reader', ['read']],
      ['trader', ['read', 'trade']],
    ] as const) {
      const created = await api<Created>('POST', '/auth/tokens', { name: `agent-${who}`, scopes });
      const mcp = new Client({ name: `agent-${who}`, version: '1.0.0' });
      await mcp.connect(
        new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${created.body.secret}` } },
        }),
      );
      agents[who] = { id: created.body.id, secret: created.body.secret, mcp };
    }
  });
  afterAll(async () => {
    for (const a of Object.values(agents)) await a.mcp.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what a policy forbids (dry run and live, the reason to the agent, the refusal audited and announced) and places what it allows', async () => {
    // 0.1 BTC at 60 000 is 6 000: above a 5 000 per-symbol cap.
    expect((await api('PUT', '/inspectors/inspector/policies', { maxPositionNotional: '5000' })).status).toBe(200);
    const before = await orders();

    const dry = await tool('reader', { body: ORDER });
    expect(dry).toMatchObject({
      isError: true,
      body: {
        dryRun: true,
        placed: false,
        result: { valid: true },
        refusedBy: 'inspector inspector: BTCUSDT position would be 6000, above the per-symbol cap 5000 (positionSize)',
      },
    });
    // A dry run leaves no record at the inspector.
    expect(await inspectorAudit()).toEqual([]);

    const live = await tool('trader', { body: ORDER });
    expect(live).toMatchObject({
      isError: true,
      body: {
        error: {
          code: 'RISK_REFUSED',
          details: { refusals: [{ inspector: 'inspector', policy: 'positionSize' }] },
        },
      },
    });
    const refusedId = live.body.error?.details.clientOrderId;
    expect(await orders()).toBe(before);
    expect(await inspectorAudit()).toEqual([
      expect.objectContaining({
        kind: 'order',
        action: 'BLOCK',
        policy: 'positionSize',
        requestId: refusedId,
        numbers: expect.objectContaining({ actor: 'agent-trader', notional: '6000' }),
      }),
    ]);
    await eventually(
      async () => {
        const sink = await api('GET', '/eventsink?limit=50');
        expect(JSON.stringify(sink.body)).toContain('INSPECTOR_RISK_LIMIT_BREACH');
      },
      10_000,
      100,
    );
    const trail = await api<{ data: unknown[] }>('GET', `/audit?tokenId=${agents.trader.id}&method=POST`);
    expect(trail.body.data).toEqual([
      expect.objectContaining({ path: '/api/inspectors/inspector/inspector/risk/check', status: 200 }),
    ]);

    // Another policy than the cap: a no-trade window over the present minute stops the order too.
    const now = new Date();
    const hhmm = (d: Date) =>
      `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    await api('PUT', '/inspectors/inspector/policies', {
      maxPositionNotional: null,
      noTradeWindows: [
        { start: hhmm(new Date(now.getTime() - 3_600_000)), end: hhmm(new Date(now.getTime() + 3_600_000)) },
      ],
    });
    expect((await tool('trader', { body: ORDER })).body.error?.details.refusals[0]?.policy).toBe('noTradeWindow');
    expect(await orders()).toBe(before);

    // Within every policy the order is placed, under the client id the inspector judged.
    await api('PUT', '/inspectors/inspector/policies', { noTradeWindows: [] });
    const placed = await tool('trader', { body: ORDER });
    expect(placed).toMatchObject({
      isError: false,
      body: { status: 201, body: { clientOrderId: expect.stringMatching(/^mcp-/), tokenId: agents.trader.id } },
    });
    expect(await orders()).toBe(before + 1);
    expect((await inspectorAudit())[0]).toMatchObject({
      kind: 'order',
      action: 'ALLOW',
      requestId: placed.body.body?.clientOrderId,
    });
  });

  it('a kill switch trip stops the agent; the notifier-style killswitch scope trips and resets it but cannot trade', async () => {
    const safety = await api<Created>('POST', '/auth/tokens', { name: 'safety', scopes: ['read', 'killswitch'] });
    const asSafety = (method: string, path: string, body: unknown) =>
      fetch(`${base}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${safety.body.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await asSafety('POST', '/inspectors/inspector/kill-switch', { reason: 'agent misbehaving' })).status).toBe(
      200,
    );
    try {
      const before = await orders();
      const live = await tool('trader', { body: { ...ORDER, quantity: '0.001' } });
      expect(live.body.error).toMatchObject({
        code: 'KILL_SWITCH',
        message: expect.stringContaining('agent misbehaving'),
      });
      expect((await asSafety('POST', '/orders', ORDER)).status).toBe(403);
      expect(await orders()).toBe(before);
    } finally {
      expect((await asSafety('POST', '/inspectors/inspector/kill-switch/reset', {})).status).toBe(200);
    }
  });
});
