import { policiesFromProviderConfig } from './from-provider-config';

describe('policies from the provider inspector config', () => {
  it('maps the reference sections and lets params.policies win', () => {
    const result = policiesFromProviderConfig({
      riskManagement: { maxDrawdownPercent: 15, maxDailyLossPercent: '5', maxTradesPerDay: 10, stopLossPercent: 0.5, takeProfitPercent: 2.5 },
      tradeSettings: { maxPositionSizePercent: 20 },
      strategyLogic: { cooldownPeriod: 30, maxConsecutiveLosses: 2 },
      params: { policies: { maxDrawdownPercent: '7.5' } },
    });
    expect(result).toEqual({
      policies: expect.objectContaining({ maxDrawdownPercent: '7.5', maxDailyLossPercent: '5', maxTradesPerDay: 10, maxPositionPercent: '20', cooldownMs: 30_000, maxConsecutiveLosses: 2, stopLossPercent: '0.5' }),
    });
  });

  it('reports an invalid value instead of guessing', () => {
    expect(policiesFromProviderConfig({ riskManagement: { maxDrawdownPercent: -1 } })).toEqual({ error: expect.stringContaining('maxDrawdownPercent') });
  });

  it('refuses a take-profit of 100 % or more (a short target would sit at or below zero)', () => {
    expect(policiesFromProviderConfig({ riskManagement: { takeProfitPercent: 150 } })).toEqual({ error: expect.stringContaining('takeProfitPercent') });
    expect(policiesFromProviderConfig({ riskManagement: { takeProfitPercent: 99 } })).toEqual({ policies: expect.objectContaining({ takeProfitPercent: '99' }) });
  });
});
