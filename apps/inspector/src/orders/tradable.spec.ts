import type { Instrument } from '@barfinex/contracts';
import { Dec } from '../decimal';
import { checkTradable } from './tradable';
import type { TradableInput } from './tradable';

const instrument = (over: Partial<Instrument> = {}): Instrument => ({
  symbol: 'ETHUSDT',
  baseAsset: 'ETH',
  quoteAsset: 'USDT',
  status: 'TRADING',
  connectorType: 'sim',
  marketType: 'spot',
  minNotional: '5',
  ...over,
});
const funds = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, new Dec(v)]));
const input = (over: Partial<TradableInput> = {}): TradableInput => ({
  symbol: 'ETHUSDT',
  side: 'LONG',
  marketType: 'spot',
  quantity: new Dec('0.1'),
  notional: new Dec('300'),
  instrument: instrument(),
  funds: funds({ USDT: '1000', ETH: '0.1' }),
  quoteAsset: 'USDT',
  ...over,
});

describe('checkTradable', () => {
  it('passes an entry the account can fund with its protection', () => {
    expect(checkTradable(input())).toBeUndefined();
    expect(checkTradable(input({ side: 'SHORT' }))).toBeUndefined();
    expect(checkTradable(input({ marketType: 'futures', funds: funds({ USDT: '1' }) }))).toBeUndefined();
  });

  it('declines a short on spot without the base asset (spot has no borrowing)', () => {
    expect(checkTradable(input({ side: 'SHORT', funds: funds({ USDT: '100000' }) }))).toMatchObject({
      policy: 'spotShort',
      action: 'BLOCK',
      passed: false,
      current: '0',
      limit: '0.1',
    });
    expect(checkTradable(input({ side: 'SHORT', funds: funds({ USDT: '100000', ETH: '0.05' }) }))?.reason).toBe(
      'a short on spot sells ETH the account holds: 0.1 ETH needed, 0.05 free (spot has no borrowing)',
    );
  });

  it('declines a spot long whose stop-loss and take-profit could not both rest, and one with too little quote', () => {
    expect(checkTradable(input({ funds: funds({ USDT: '1000' }) }))).toMatchObject({
      policy: 'balance',
      current: '0',
      limit: '0.1',
    });
    expect(checkTradable(input({ funds: funds({ USDT: '299.99', ETH: '1' }) }))).toMatchObject({
      policy: 'balance',
      current: '299.99',
      limit: '300',
      reason: expect.stringContaining('needed to buy'),
    });
    expect(checkTradable(input({ side: 'SHORT', funds: funds({ USDT: '10', ETH: '1' }) }))?.reason).toContain(
      'for the stop-loss and take-profit to buy back',
    );
  });

  it('declines below the minimum notional before anything else', () => {
    expect(checkTradable(input({ notional: new Dec('4.99'), funds: {} }))).toMatchObject({
      policy: 'minNotional',
      current: '4.99',
      limit: '5',
    });
    expect(checkTradable(input({ notional: new Dec('5') }))).toBeUndefined();
  });

  it('futures: declines without available margin, and below notional / leverage when the venue reports leverage', () => {
    expect(checkTradable(input({ marketType: 'futures', funds: {} }))).toMatchObject({
      policy: 'balance',
      reason: expect.stringContaining('0 USDT available on the futures account'),
    });
    expect(
      checkTradable(
        input({ marketType: 'futures', instrument: instrument({ leverage: 10 }), funds: funds({ USDT: '29' }) }),
      ),
    ).toMatchObject({ policy: 'balance', limit: '30' });
    expect(
      checkTradable(
        input({ marketType: 'futures', instrument: instrument({ leverage: 10 }), funds: funds({ USDT: '30' }) }),
      ),
    ).toBeUndefined();
    expect(
      checkTradable(
        input({ marketType: 'futures', instrument: undefined, funds: funds({ USDC: '100' }), quoteAsset: 'USDC' }),
      ),
    ).toBeUndefined();
  });
});
