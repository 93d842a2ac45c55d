import http from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import pino from 'pino';
import { ADDRESS_REFUSED, connectHost, errorMiddleware, guardedLookup, refusedAddress } from '@barfinex/service-kit';
import { createProxyRouter } from './proxy';
import type { UpstreamClient } from './upstream';
import { NativeUpstream } from './upstream-native';
import { createUndiciUpstream } from './upstream-undici';

const hostOf = (authority: string) => connectHost(new URL(`http://${authority}:8080/`));

describe('refusedAddress, after URL normalisation', () => {
  it.each([
    ['169.254.169.254', 'a cloud metadata address'],
    ['169.254.169.254.', 'a cloud metadata address'],
    ['2852039166', 'a cloud metadata address'],
    ['0xa9.0xfe.0xa9.0xfe', 'a cloud metadata address'],
    ['0251.0376.0251.0376', 'a cloud metadata address'],
    ['[::ffff:169.254.169.254]', 'a cloud metadata address'],
    ['[::ffff:a9fe:a9fe]', 'a cloud metadata address'],
    ['[64:ff9b::a9fe:a9fe]', 'a cloud metadata address'],
    ['[fd00:ec2::254]', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['metadata.google.internal', 'a cloud metadata address'],
    ['METADATA.GOOGLE.INTERNAL.', 'a cloud metadata address'],
    ['169.254.1.1', 'a link-local address'],
    ['169.254.1', 'a link-local address'],
    ['2851995649', 'a link-local address'],
    ['[fe80::1]', 'a link-local address'],
    ['[febf::1]', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0', 'an unspecified address'],
    ['[::]', 'an unspecified address'],
    ['[::ffff:0.0.0.0]', 'an unspecified address'],
  ])('refuses %s as %s', (authority, kind) => {
    expect(refusedAddress(hostOf(authority))).toBe(kind);
  });

  it.each([
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f.1',
    '0177.0.0.1',
    '[::1]',
    '[::ffff:127.0.0.1]',
    'localhost',
    '10.0.0.5',
    '192.168.1.2',
    '100.64.0.1',
    '[fec0::1]',
    'detector',
  ])('lets %s through (loopback and private networks run the apps)', (authority) => {
    expect(refusedAddress(hostOf(authority))).toBeUndefined();
  });

  it('normalises the shortened and numeric IPv4 forms as WHATWG URL parsing does', () => {
    expect(['127.1', '2130706433', '0x7f.1', '0177.0.0.1', '0x7f000001'].map(hostOf)).toEqual(
      Array(5).fill('127.0.0.1'),
    );
  });
});

/** A resolver answering from a table, as DNS would (a name may answer several addresses). */
function fakeDns(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = ((
    hostname: string,
    _options: unknown,
    callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
  ) => {
    asked.push(hostname);
    const found = table[hostname];
    if (found === undefined)
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    else
      callback(
        null,
        found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  }) as unknown as typeof import('node:dns').lookup;
  return { resolve, asked };
}

describe('guardedLookup', () => {
  const dns = fakeDns({ app: ['127.0.0.1'], rebound: ['127.0.0.1', '169.254.169.254'], v6: ['::1'] });
  const lookup = guardedLookup(dns.resolve) as unknown as (
    h: string,
    o: { all?: boolean },
    cb: (err: NodeJS.ErrnoException | null, a: unknown, f?: number) => void,
  ) => void;
  const ask = (hostname: string, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number | undefined }>((resolve) =>
      lookup(hostname, { all }, (err, address, family) => resolve({ err, address, family })),
    );

  it('answers as dns.lookup does, for one address or all of them', async () => {
    expect(await ask('app', false)).toEqual({ err: null, address: '127.0.0.1', family: 4 });
    expect(await ask('v6', true)).toMatchObject({ err: null, address: [{ address: '::1', family: 6 }] });
  });

  it('refuses a name when any of its addresses is refused, and a metadata name without asking DNS', async () => {
    const rebound = await ask('rebound', true);
    expect(rebound.err).toMatchObject({
      code: ADDRESS_REFUSED,
      message: 'refused to connect: rebound resolves to 169.254.169.254, a cloud metadata address',
    });
    const named = await ask('metadata.google.internal', false);
    expect(named.err).toMatchObject({ code: ADDRESS_REFUSED });
    expect(dns.asked).not.toContain('metadata.google.internal');
  });

  it('passes resolver failures on', async () => {
    expect((await ask('nowhere', false)).err).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('the proxy connects only where the guard lets it (at connect time, so DNS rebinding is caught)', () => {
  let app: http.Server;
  let port: number;
  beforeAll(async () => {
    app = http.createServer((_req, res) => res.end('app'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    port = (app.address() as AddressInfo).port;
  });
  afterAll(async () => {
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
  });

  const clients: Record<string, (lookup: ReturnType<typeof guardedLookup>) => UpstreamClient> = {
    native: (lookup) => new NativeUpstream({ lookup }),
    undici: (lookup) => createUndiciUpstream({ connectTimeoutMs: 2000, lookup }),
  };

  it.each(Object.keys(clients))(
    '%s: 403 for a name that now resolves to a metadata address, 200 for one that does not',
    async (kind) => {
      // Registered while it resolved to the app; by the time the proxy connects it points elsewhere.
      const dns = fakeDns({ 'good.test': ['127.0.0.1'], 'rebound.test': ['169.254.169.254'] });
      const upstream = (clients[kind] as (typeof clients)['native'])(guardedLookup(dns.resolve));
      const targets: Record<string, string> = {
        good: `http://good.test:${port}`,
        rebound: `http://rebound.test:${port}`,
      };
      const proxy = express();
      proxy.use(
        createProxyRouter({
          registry: { resolve: async (_t, key) => ({ baseUrl: targets[key] ?? '' }) },
          timeoutMs: 2000,
          upstream,
        }),
      );
      proxy.use(errorMiddleware({ logger: pino({ level: 'silent' }) }));
      try {
        await request(proxy).get('/detectors/good/x').expect(200, 'app');
        const refused = await request(proxy).get('/detectors/rebound/x').expect(403);
        expect(refused.body.error).toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringContaining('rebound.test resolves to 169.254.169.254, a cloud metadata address'),
        });
      } finally {
        await upstream.close();
      }
    },
  );
});
