import { InspectorConfigSchema } from '@barfinex/contracts';
import { policiesFromProviderConfig } from './from-provider-config';

describe('policies from the provider inspector config', () => {
  it('maps the reference sections and lets params.policies win', () => {
    const result = policiesFromProviderConfig({
      riskManagement: {
        maxDrawdownPercent: 15,
        maxDailyLossPercent: '5',
        maxTradesPerDay: 10,
        stopLossPercent: 0.5,
        takeProfitPercent: 2.5,
      },
      tradeSettings: { maxPositionSizePercent: 20 },
      strategyLogic: { cooldownPeriod: 30, maxConsecutiveLosses: 2 },
      params: { policies: { maxDrawdownPercent: '7.5' } },
    });
    expect(result).toEqual({
      policies: expect.objectContaining({
        maxDrawdownPercent: '7.5',
        maxDailyLossPercent: '5',
        maxTradesPerDay: 10,
        maxPositionPercent: '20',
        cooldownMs: 30_000,
        maxConsecutiveLosses: 2,
        stopLossPercent: '0.5',
      }),
    });
  });

  it('reports an invalid value instead of guessing', () => {
    expect(policiesFromProviderConfig({ riskManagement: { maxDrawdownPercent: -1 } })).toEqual({
      error: expect.stringContaining('maxDrawdownPercent'),
    });
  });

  it('refuses a take-profit of 100 % or more (a short target would sit at or below zero)', () => {
    expect(policiesFromProviderConfig({ riskManagement: { takeProfitPercent: 150 } })).toEqual({
      error: expect.stringContaining('takeProfitPercent'),
    });
    expect(policiesFromProviderConfig({ riskManagement: { takeProfitPercent: 99 } })).toEqual({
      policies: expect.objectContaining({ takeProfitPercent: '99' }),
    });
  });
});

describe('the provider contract and the inspector agree on the reference sections', () => {
  // What the provider stores must be what the inspector can read: a value the contract lets
  // through but the inspector refuses would leave the inspector on its defaults without a word.
  const cases: Array<Record<string, Record<string, unknown>>> = [
    { riskManagement: { maxDrawdownPercent: 'abc' } },
    { riskManagement: { maxDrawdownPercent: '15' } },
    { riskManagement: { maxDrawdownPercent: 1000 } },
    { riskManagement: { maxDrawdownPercent: 1000.5 } },
    { riskManagement: { maxDailyLossPercent: -0.1 } },
    { riskManagement: { maxDailyLossPercent: '0' } },
    { riskManagement: { maxTradesPerDay: '12' } },
    { riskManagement: { maxTradesPerDay: 1.5 } },
    { riskManagement: { maxTradesPerDay: 100_001 } },
    { riskManagement: { stopLossPercent: 0 } },
    { riskManagement: { stopLossPercent: '99.9' } },
    { riskManagement: { stopLossPercent: 100 } },
    { riskManagement: { takeProfitPercent: 100 } },
    { riskManagement: { takeProfitPercent: '2.5' } },
    { riskManagement: { stopLossPercent: null } },
    { tradeSettings: { maxPositionSizePercent: '20' } },
    { tradeSettings: { maxPositionSizePercent: 'x' } },
    { strategyLogic: { maxConsecutiveLosses: 0 } },
    { strategyLogic: { maxConsecutiveLosses: 1001 } },
    { strategyLogic: { cooldownPeriod: '30' } },
    { strategyLogic: { cooldownPeriod: 2.5 } },
    { strategyLogic: { cooldownPeriod: -1 } },
    { strategyLogic: { cooldownPeriod: 604_800 } },
    { strategyLogic: { cooldownPeriod: 604_801 } },
  ];
  it.each(cases)('%j', (fields) => {
    const contract = InspectorConfigSchema.safeParse({ sysname: 'inspector', ...fields });
    const inspector = policiesFromProviderConfig(
      contract.success ? contract.data : { sysname: 'inspector', ...fields },
    );
    expect('policies' in inspector).toBe(contract.success);
  });
});
