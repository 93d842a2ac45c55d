import { buildOpenApiDocument } from '../openapi';
import { findOpenApiProblems } from '../openapi-check';
import {
  AppRegisterRequestSchema,
  BaseUrlSchema,
  DetectorCreateBodySchema,
  DetectorPatchBodySchema,
  InspectorCreateBodySchema,
  configRoutes,
  proxyRouteDocs,
  registryRoutes,
} from './registry-routes';

describe('registry and config routes', () => {
  it('produce a valid OpenAPI document, proxy included', () => {
    const doc = buildOpenApiDocument({
      title: 't',
      version: '1',
      routes: [...Object.values(registryRoutes), ...Object.values(configRoutes), ...proxyRouteDocs],
    });
    expect(findOpenApiProblems(doc)).toEqual([]);
    expect(Object.keys(doc.paths ?? {})).toEqual(
      expect.arrayContaining(['/apps/registry/register', '/detectors/{key}', '/inspectors/{appKey}/{splat}']),
    );
  });
});

describe('BaseUrlSchema', () => {
  it('normalises to origin plus path without trailing slashes', () => {
    expect(BaseUrlSchema.parse('http://127.0.0.1:8082/')).toBe('http://127.0.0.1:8082');
    expect(BaseUrlSchema.parse(' https://Inspector.local/api// ')).toBe('https://inspector.local/api');
  });
  it.each(['ftp://x', 'http://u:p@host', 'http://host/?a=1', 'http://host/#x', '/relative', 'javascript:alert(1)'])(
    'refuses %s',
    (raw) => {
      expect(BaseUrlSchema.safeParse(raw).success).toBe(false);
    },
  );
});

describe('bodies', () => {
  it('registration meta is bounded in depth and size', () => {
    const base = { appType: 'inspector', appKey: 'inspector', baseUrl: 'http://127.0.0.1:8082' };
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 3_000; i++) deep = { a: deep };
    expect(AppRegisterRequestSchema.safeParse({ ...base, meta: deep }).error?.issues[0]?.message).toMatch(
      /deeper than 16/,
    );
    expect(
      AppRegisterRequestSchema.safeParse({ ...base, meta: { blob: 'x'.repeat(70_000) } }).error?.issues[0]?.message,
    ).toMatch(/larger than/);
    let ok: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 14; i++) ok = { a: ok };
    expect(AppRegisterRequestSchema.safeParse({ ...base, meta: { ...ok, apiToken: 't' } }).success).toBe(true);
  });

  it('registration keys are URL-safe', () => {
    const base = { appType: 'inspector', baseUrl: 'http://h:1' };
    expect(AppRegisterRequestSchema.safeParse({ ...base, appKey: 'inspector-1.a_b' }).success).toBe(true);
    for (const appKey of ['', '..', 'a/b', 'a b', '.hidden', 'a%2f'])
      expect(AppRegisterRequestSchema.safeParse({ ...base, appKey }).success).toBe(false);
  });

  it('detector bodies may be bare or wrapped, and are normalised', () => {
    const wrapped = DetectorCreateBodySchema.parse({
      detector: {
        key: 'd1',
        symbols: ['btcusdt', { name: 'ETHUSDT', leverage: 5, quantity: 0.1 }],
        intervals: ['1m', 'H1'],
        marketType: 'perp',
        indicators: [{ name: 'SMA' }],
      },
    });
    expect(wrapped).toMatchObject({
      key: 'd1',
      symbols: [{ name: 'BTCUSDT' }, { name: 'ETHUSDT', leverage: 5, quantity: '0.1' }],
      intervals: ['min1', 'h1'],
      marketType: 'futures',
      isActive: true,
      isBlocked: false,
      params: {},
      indicators: [{ name: 'SMA' }],
    });
    expect(DetectorCreateBodySchema.parse({ key: 'd2' })).toMatchObject({ key: 'd2', symbols: [] });
    expect(DetectorPatchBodySchema.parse({ options: { isActive: false } })).toEqual({ isActive: false });
    expect(DetectorCreateBodySchema.safeParse({ key: 'd3', intervals: ['7x'] }).success).toBe(false);
  });

  it('inspector bodies accept the reference `{ sysname, options }`', () => {
    expect(
      InspectorCreateBodySchema.parse({ sysname: 'main', options: { riskManagement: { stopLossPercent: 0.5 } } }),
    ).toMatchObject({ sysname: 'main', riskManagement: { stopLossPercent: 0.5 } });
    expect(InspectorCreateBodySchema.parse({ sysname: 'bare' })).toMatchObject({ sysname: 'bare', isActive: true });
  });

  it('inspector configs check the risk fields the inspector reads, keep them as sent, and keep unknown fields', () => {
    const body = {
      sysname: 'inspector',
      riskManagement: {
        maxDrawdownPercent: '15',
        maxDailyLossPercent: 5,
        maxTradesPerDay: '10',
        stopLossPercent: 0.5,
        takeProfitPercent: '99.5',
        trailing: true,
      },
      tradeSettings: { maxPositionSizePercent: 20, maxLeverage: 10 },
      strategyLogic: { cooldownPeriod: '30', maxConsecutiveLosses: 2, autoThrottleDetectors: true },
      general: { anything: 'goes' },
    };
    expect(InspectorCreateBodySchema.parse(body)).toMatchObject(body);
  });

  it("inspector configs check params.policies with the inspector's own schema and keep it as sent (no defaults filled in)", () => {
    const policies = { maxDrawdownPercent: '12', noTradeWindows: [{ start: '12:00', end: '13:00', label: 'FOMC' }] };
    expect(InspectorCreateBodySchema.parse({ sysname: 'inspector', params: { policies, other: 1 } }).params).toEqual({
      policies,
      other: 1,
    });
  });

  it.each([
    [{ riskManagement: { maxDrawdownPercent: 'abc' } }, 'riskManagement.maxDrawdownPercent'],
    [{ riskManagement: { maxDrawdownPercent: -1 } }, 'riskManagement.maxDrawdownPercent'],
    [{ riskManagement: { maxDailyLossPercent: '1001' } }, 'riskManagement.maxDailyLossPercent'],
    [{ riskManagement: { maxTradesPerDay: 2.5 } }, 'riskManagement.maxTradesPerDay'],
    [{ riskManagement: { maxTradesPerDay: 'ten' } }, 'riskManagement.maxTradesPerDay'],
    [{ riskManagement: { stopLossPercent: 0 } }, 'riskManagement.stopLossPercent'],
    [{ riskManagement: { takeProfitPercent: '100' } }, 'riskManagement.takeProfitPercent'],
    [{ riskManagement: { stopLossPercent: null } }, 'riskManagement.stopLossPercent'],
    [{ tradeSettings: { maxPositionSizePercent: '1e3' } }, 'tradeSettings.maxPositionSizePercent'],
    [{ strategyLogic: { maxConsecutiveLosses: -2 } }, 'strategyLogic.maxConsecutiveLosses'],
    [{ strategyLogic: { cooldownPeriod: 'soon' } }, 'strategyLogic.cooldownPeriod'],
    [{ strategyLogic: { cooldownPeriod: 604_801 } }, 'strategyLogic.cooldownPeriod'],
    [{ params: { policies: { maxDrawdownPercent: 'abc' } } }, 'params.policies.maxDrawdownPercent'],
    [{ params: { policies: { takeProfitPercent: '150' } } }, 'params.policies.takeProfitPercent'],
    [
      { params: { policies: { noTradeWindows: [{ start: '25:00', end: '01:00' }] } } },
      'params.policies.noTradeWindows.0.start',
    ],
    [{ params: { policies: { maxDrawdownPct: '10' } } }, 'params.policies'],
    [{ params: { policies: 'strict' } }, 'params.policies'],
  ])('inspector configs refuse %j', (fields, path) => {
    const result = InspectorCreateBodySchema.safeParse({ sysname: 'inspector', ...fields });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([path]);
  });
});
