import {
  NO_SYMBOL_TOKEN,
  VIRTUAL_PARTITIONS,
  createSubjectResolver,
  eventSubject,
  isValidSubjectPrefix,
  ownsPartition,
  parseEventSubject,
  subscriptionSubjects,
  symbolToken,
  virtualPartition,
} from './subjects';

describe('symbolToken', () => {
  it('keeps safe symbols as they are', () => {
    expect(symbolToken('BTCUSDT')).toBe('BTCUSDT');
    expect(symbolToken('BTC_USDT-PERP')).toBe('BTC_USDT-PERP');
  });

  it('escapes characters NATS tokens cannot hold, without collisions', () => {
    expect(symbolToken('BTC/USDT')).toBe('BTC~2FUSDT');
    expect(symbolToken('BTC.USDT')).toBe('BTC~2EUSDT');
    expect(symbolToken('A B*>')).toBe('A~20B~2A~3E');
    expect(symbolToken('~')).toBe('~7E');
    expect(symbolToken('ЕВРО')).toMatch(/^(~[0-9A-F]{2})+$/);
    const tokens = ['BTC/USDT', 'BTC_USDT', 'BTC~2FUSDT', 'BTC.USDT'].map(symbolToken);
    expect(new Set(tokens).size).toBe(4);
    for (const token of tokens) expect(token).not.toMatch(/[.*> ]/);
  });

  it('uses a token no symbol can produce for symbol-less events', () => {
    expect(symbolToken(undefined)).toBe(NO_SYMBOL_TOKEN);
    expect(symbolToken('')).toBe(NO_SYMBOL_TOKEN);
  });
});

describe('virtualPartition', () => {
  it('is a stable FNV-1a hash modulo the partition count', () => {
    // Pinned values: changing the hash would move every symbol to another partition member.
    expect(virtualPartition('BTCUSDT')).toBe(virtualPartition('BTCUSDT'));
    expect([virtualPartition('BTCUSDT'), virtualPartition('ETHUSDT'), virtualPartition('a')]).toEqual([
      fnv('BTCUSDT') % 64,
      fnv('ETHUSDT') % 64,
      0xe40c292c % 64,
    ]);
    expect(virtualPartition(undefined)).toBe(0);
  });

  it('spreads symbols over the partitions', () => {
    const used = new Set(Array.from({ length: 1000 }, (_, i) => virtualPartition(`SYM${i}USDT`)));
    expect(used.size).toBe(VIRTUAL_PARTITIONS);
  });
});

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

describe('event subjects', () => {
  it('derive <prefix>.ev.<name>.<partition>.<symbol token>', () => {
    const vp = virtualPartition('BTC/USDT');
    expect(eventSubject('PROVIDER_MARKETDATA_TRADE', 'BTC/USDT')).toBe(
      `bfx.ev.PROVIDER_MARKETDATA_TRADE.${vp}.BTC~2FUSDT`,
    );
    expect(eventSubject('INSPECTOR_RISK_KILL_SWITCH', undefined, 'bfx.test')).toBe(
      'bfx.test.ev.INSPECTOR_RISK_KILL_SWITCH.0.~',
    );
  });

  it('parse back into their parts', () => {
    const subject = eventSubject('PROVIDER_MARKETDATA_TRADE', 'ETHUSDT', 'x.y');
    expect(parseEventSubject(subject, 'x.y')).toEqual({
      name: 'PROVIDER_MARKETDATA_TRADE',
      partition: virtualPartition('ETHUSDT'),
      symbolToken: 'ETHUSDT',
    });
    expect(parseEventSubject(subject, 'bfx')).toBeUndefined();
    expect(parseEventSubject('x.y.ev.A.64.B', 'x.y')).toBeUndefined();
    expect(parseEventSubject('x.y.ev.A.1', 'x.y')).toBeUndefined();
  });

  it('come from a cache that gives the same answer', () => {
    const resolve = createSubjectResolver('bfx');
    expect(resolve('PROVIDER_MARKETDATA_TRADE', 'BTCUSDT')).toBe(eventSubject('PROVIDER_MARKETDATA_TRADE', 'BTCUSDT'));
    expect(resolve('PROVIDER_MARKETDATA_TRADE', 'BTCUSDT')).toBe(eventSubject('PROVIDER_MARKETDATA_TRADE', 'BTCUSDT'));
    expect(resolve('PROVIDER_SYMBOLS', undefined)).toBe(eventSubject('PROVIDER_SYMBOLS'));
  });

  it('validate prefixes', () => {
    expect(isValidSubjectPrefix('bfx')).toBe(true);
    expect(isValidSubjectPrefix('bfx.test-1')).toBe(true);
    for (const bad of ['', 'bfx.', '.bfx', 'b*x', 'b>x', 'b x', 'a..b']) expect(isValidSubjectPrefix(bad)).toBe(false);
  });
});

describe('subscriptionSubjects', () => {
  it('listens to every symbol by default and to one subject for a symbol', () => {
    expect(subscriptionSubjects('PROVIDER_MARKETDATA_TRADE', {})).toEqual(['bfx.ev.PROVIDER_MARKETDATA_TRADE.>']);
    expect(subscriptionSubjects('PROVIDER_MARKETDATA_TRADE', { symbol: 'BTCUSDT' })).toEqual([
      eventSubject('PROVIDER_MARKETDATA_TRADE', 'BTCUSDT'),
    ]);
  });

  it('lets the server filter partitions: member i of n owns partitions v with v % n == i', () => {
    const members = [0, 1, 2].map((index) =>
      subscriptionSubjects('PROVIDER_MARKETDATA_TRADE', { partition: { index, count: 3 } }),
    );
    expect(members.flat()).toHaveLength(VIRTUAL_PARTITIONS);
    expect(new Set(members.flat()).size).toBe(VIRTUAL_PARTITIONS);
    expect(members[1]?.[0]).toBe('bfx.ev.PROVIDER_MARKETDATA_TRADE.1.*');
    expect(members[1]?.[1]).toBe('bfx.ev.PROVIDER_MARKETDATA_TRADE.4.*');
    expect(ownsPartition(4, { index: 1, count: 3 })).toBe(true);
    expect(subscriptionSubjects('PROVIDER_MARKETDATA_TRADE', { partition: { index: 0, count: 1 } })).toEqual([
      'bfx.ev.PROVIDER_MARKETDATA_TRADE.>',
    ]);
  });
});
