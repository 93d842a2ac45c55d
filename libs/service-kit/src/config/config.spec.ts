import { z } from 'zod';
import {
  envBool,
  envDurationMs,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envString,
  envUrl,
  parseDurationMs,
} from './env';
import { ConfigError, parseConfig } from './parse-config';

const schema = z.object({
  PROVIDER_PORT: envPort(8080),
  NATS_URL: envUrl(undefined, { protocols: ['nats'] }).optional(),
  DATABASE_URL: envUrl('postgresql://localhost/db'),
  EMBEDDED: envBool(true),
  SYMBOLS: envList(['BTCUSDT']),
  HEARTBEAT: envDurationMs('30s'),
  LOG_LEVEL: envLogLevel(),
  WORKERS: envInt(2, { min: 1, max: 16 }),
  PROVIDER_API_TOKEN: envString().optional(),
});

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies defaults when variables are unset or empty', () => {
    expect(parseConfig(schema, { PROVIDER_PORT: '', SYMBOLS: '  ' })).toEqual({
      PROVIDER_PORT: 8080,
      NATS_URL: undefined,
      DATABASE_URL: 'postgresql://localhost/db',
      EMBEDDED: true,
      SYMBOLS: ['BTCUSDT'],
      HEARTBEAT: 30_000,
      LOG_LEVEL: 'info',
      WORKERS: 2,
      PROVIDER_API_TOKEN: undefined,
    });
  });

  it('converts every shape', () => {
    const config = parseConfig(schema, {
      PROVIDER_PORT: '9000',
      NATS_URL: 'nats://127.0.0.1:4222',
      EMBEDDED: 'No',
      SYMBOLS: 'BTCUSDT, ETHUSDT,,',
      HEARTBEAT: '5m',
      LOG_LEVEL: 'DEBUG',
      WORKERS: '16',
      PROVIDER_API_TOKEN: 's3cret',
    });
    expect(config).toMatchObject({
      PROVIDER_PORT: 9000,
      NATS_URL: 'nats://127.0.0.1:4222',
      EMBEDDED: false,
      SYMBOLS: ['BTCUSDT', 'ETHUSDT'],
      HEARTBEAT: 300_000,
      LOG_LEVEL: 'debug',
      WORKERS: 16,
      PROVIDER_API_TOKEN: 's3cret',
    });
  });

  it('names every bad variable with a readable reason and the value received', () => {
    const err = configError(() =>
      parseConfig(schema, {
        PROVIDER_PORT: 'abc',
        NATS_URL: 'http://x',
        EMBEDDED: 'maybe',
        HEARTBEAT: 'soon',
        LOG_LEVEL: 'loud',
        WORKERS: '17',
      }),
    );
    expect(err.issues.map((i) => i.variable)).toEqual([
      'PROVIDER_PORT',
      'NATS_URL',
      'EMBEDDED',
      'HEARTBEAT',
      'LOG_LEVEL',
      'WORKERS',
    ]);
    expect(err.message).toContain('PROVIDER_PORT: expected an integer between 1 and 65535, got "abc"');
    expect(err.message).toContain('NATS_URL: expected a URL (nats://), got "http://x"');
    expect(err.message).toContain('EMBEDDED: expected a boolean');
    expect(err.message).toContain('WORKERS: expected an integer between 1 and 16, got "17"');
    expect(err.message).toContain(
      'LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "loud"',
    );
    expect(err.message.startsWith('invalid configuration (6 problems)')).toBe(true);
  });

  it('reports required variables that are missing', () => {
    const err = configError(() => parseConfig(z.object({ PORT: envPort(), NAME: z.string() }), {}));
    expect(err.issues).toEqual([
      { variable: 'PORT', message: 'is required (an integer between 1 and 65535)' },
      { variable: 'NAME', message: 'is required' },
    ]);
  });

  it('never echoes secrets or URL credentials', () => {
    const err = configError(() =>
      parseConfig(
        z.object({
          PROVIDER_API_TOKEN: z.string().min(20),
          DATABASE_URL: envUrl(undefined, { protocols: ['postgresql'] }),
        }),
        { PROVIDER_API_TOKEN: 'hunter2', DATABASE_URL: 'mysql://admin:pa55@db/x' },
      ),
    );
    expect(err.message).not.toContain('hunter2');
    expect(err.message).not.toContain('pa55');
    expect(err.message).toContain('PROVIDER_API_TOKEN: Too small');
    expect(err.message).toContain('got a value of 7 characters (hidden)');
    expect(err.message).toContain('got "mysql://***@db/x"');
  });

  it('rejects ports out of range and non-integers', () => {
    const port = z.object({ P: envPort() });
    for (const bad of ['0', '65536', '80.5', '1e3', '-1']) {
      expect(() => parseConfig(port, { P: bad })).toThrow(ConfigError);
    }
    expect(parseConfig(port, { P: ' 443 ' }).P).toBe(443);
  });

  it('reads env from process.env by default', () => {
    process.env['SERVICE_KIT_TEST_PORT'] = '1234';
    try {
      expect(parseConfig(z.object({ SERVICE_KIT_TEST_PORT: envPort() })).SERVICE_KIT_TEST_PORT).toBe(1234);
    } finally {
      delete process.env['SERVICE_KIT_TEST_PORT'];
    }
  });
});

describe('env helpers', () => {
  it.each([
    ['100ms', 100],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1.5s', 1500],
    ['250', 250],
    ['10 S', 10_000],
  ])('parseDurationMs(%s) = %d', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', 'abc', '5 minutes', '-1s', '1w'])('parseDurationMs(%j) is undefined', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('envBool accepts the usual words in any case', () => {
    const s = envBool();
    for (const t of ['true', '1', 'YES', 'on']) expect(s.parse(t)).toBe(true);
    for (const f of ['false', '0', 'no', 'Off']) expect(s.parse(f)).toBe(false);
  });

  it('envDurationMs refuses an unreadable default at definition time', () => {
    expect(() => envDurationMs('later')).toThrow(TypeError);
  });

  it('envList without a default requires at least one item', () => {
    expect(envList().safeParse(' , ').success).toBe(false);
    expect(envList([]).parse(undefined)).toEqual([]);
  });

  it('envInt describes open ranges', () => {
    const r = envInt(undefined, { min: 0 }).safeParse('-5');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('expected an integer >= 0');
  });
});
