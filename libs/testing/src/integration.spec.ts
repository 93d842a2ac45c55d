import { integrationAvailable } from './integration';

describe('integrationAvailable', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  it('is true when the probe found the server', () => {
    process.env['BARFINEX_TEST_NATS'] = '1';
    expect(integrationAvailable('nats')).toBe(true);
  });
  it('throws under CI when the server is missing', () => {
    process.env['BARFINEX_TEST_NATS'] = '0';
    process.env['CI'] = 'true';
    expect(() => integrationAvailable('nats')).toThrow(/required/);
  });
  it('skips locally when the server is missing', () => {
    process.env['BARFINEX_TEST_NATS'] = '0';
    process.env['CI'] = 'false';
    expect(integrationAvailable('nats')).toBe(false);
  });
});
