import { AlertProblem, parseAlert } from './alert-parse';

const problem = (body: string) => {
  try {
    parseAlert(body);
  } catch (err) {
    if (err instanceof AlertProblem) return err.code;
    throw err;
  }
  return 'none';
};

describe('parseAlert', () => {
  it('reads a TradingView JSON message, joining exchange and ticker', () => {
    expect(
      parseAlert(
        '{"secret":"s","ticker":"BTCUSDT.P","exchange":"BINANCE","action":"sell","price":65000.5,"time":"2026-12-06T12:00:00Z","id":"Long Entry"}',
      ),
    ).toEqual({
      form: 'tradingview-json',
      secret: 's',
      ticker: 'BINANCE:BTCUSDT.P',
      direction: 'SHORT',
      price: '65000.5',
      time: Date.UTC(2026, 11, 6, 12),
      id: 'Long Entry',
    });
  });

  it('reads the text forms and a generic JSON signal', () => {
    expect(parseAlert('long BINANCE:ETHUSDT @ 3000')).toMatchObject({
      form: 'tradingview-text',
      ticker: 'BINANCE:ETHUSDT',
      direction: 'LONG',
      price: '3000',
    });
    expect(parseAlert('action = buy\nticker = BTCUSDT\nprice = 65000\ntime = 1765022400')).toMatchObject({
      direction: 'LONG',
      ticker: 'BTCUSDT',
      time: 1_765_022_400_000,
    });
    expect(
      parseAlert('{"symbol":"BTCUSDT","direction":"short","stop":"66000","target":"60000","confidence":0.4}'),
    ).toMatchObject({ form: 'generic-json', direction: 'SHORT', stop: '66000', target: '60000', confidence: 0.4 });
  });

  it('names what is wrong', () => {
    expect(problem('')).toBe('INVALID_BODY');
    expect(problem('hello there')).toBe('INVALID_BODY');
    expect(problem('[1,2]')).toBe('INVALID_BODY');
    expect(problem('{"ticker":"BTCUSDT"}')).toBe('MISSING_FIELD');
    expect(problem('{"action":"buy"}')).toBe('MISSING_FIELD');
    expect(problem('{"ticker":"BTCUSDT","action":"hold"}')).toBe('BAD_ACTION');
    expect(problem('{"ticker":"BTCUSDT","action":"close"}')).toBe('UNSUPPORTED_ACTION');
    expect(problem('{"ticker":"BTCUSDT","action":"buy","price":"-1"}')).toBe('BAD_NUMBER');
    expect(problem('{"ticker":"BTCUSDT","action":"buy","confidence":2}')).toBe('BAD_NUMBER');
    expect(problem('{"ticker":"BTCUSDT","action":"buy","time":"yesterday"}')).toBe('BAD_TIME');
    expect(problem('{"ticker":"{{ticker}}","action":"buy"}')).toBe('UNRESOLVED_PLACEHOLDER');
    expect(problem('{"ticker":"BTC USDT","action":"buy"}')).toBe('BAD_TICKER');
  });
});
