import type { ProviderClient } from '@barfinex/sdk';
import { eventually } from '@barfinex/testing';

/**
 * Waits until the provider has stored `count` closed minute bars of sim futures BTCUSDT. The
 * advisor warms up from the store, not from the bars stepped: under load the candle store's flush
 * can trail a step by more than the next request takes, and the advisor then sees too little history.
 */
export async function storedHistory(sdk: ProviderClient, count: number): Promise<void> {
  await eventually(async () => {
    const bars = await sdk.candles.list({
      connectorType: 'sim',
      marketType: 'futures',
      symbol: 'BTCUSDT',
      interval: 'min1',
      days: 1,
    });
    const closed = bars.filter((c) => c.closed !== false).length;
    if (closed < count) throw new Error(`${closed} closed bars stored, waiting for ${count}`);
  }, 30_000);
}
