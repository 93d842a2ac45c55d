import { checkProxyRemainder } from './path-guard';

describe('checkProxyRemainder', () => {
  it.each([
    'inspector/risk/dashboard',
    'a/b/',
    'symbols/BTC%2FUSDT',
    'a..b/.well-known',
    'x%20y',
    'symbols/BTC:USDT',
    'ü',
  ])('accepts %s unchanged', (raw) => {
    expect(checkProxyRemainder(raw)).toBe(raw);
  });

  it.each([
    ['', 'empty'],
    ['..', 'dot'],
    ['a/../b', 'dot'],
    ['./a', 'dot'],
    ['%2e%2e/a', 'dot'],
    ['%2E%2e', 'dot'],
    ['%252e%252E', 'dot'],
    ['a%2f..%2fb', 'dot'],
    ['%2525252e%2525252e', 'dot'],
    ['%25252525252e', 'too many'],
    ['BTC:USDT/x', 'scheme'],
    ['a\\b', 'backslash'],
    ['a%5cb', 'backslash'],
    ['a%255Cb', 'backslash'],
    ['http:', 'scheme'],
    ['HTTPS%3A%2F%2Fevil', 'scheme'],
    ['javascript:x', 'scheme'],
    ['/evil.com', 'empty path segment'],
    ['a//b', 'empty path segment'],
    ['%2F%2Fevil.com', 'empty path segment'],
    ['a%00', 'control'],
    ['a%0d%0aHost:%20x', 'control'],
    ['%E0%A4%A', 'malformed'],
  ])('refuses %s (%s)', (raw, why) => {
    expect(() => checkProxyRemainder(raw)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining(why) }),
    );
  });
});
