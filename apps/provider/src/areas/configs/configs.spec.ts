import request from 'supertest';
import { auth, createSpecApp } from '../registry/spec-app';
import type { SpecApp } from '../registry/spec-app';
import { detectorStatus } from './configs.service';

let s: SpecApp;
beforeAll(async () => {
  s = await createSpecApp({ ttlMs: 60_000 });
});
afterAll(() => s.close());

const api = () => ({
  get: (path: string) => request(s.app).get(`/api${path}`).set(auth),
  post: (path: string, body: object) => request(s.app).post(`/api${path}`).set(auth).send(body),
  put: (path: string, body: object) => request(s.app).put(`/api${path}`).set(auth).send(body),
  del: (path: string) => request(s.app).delete(`/api${path}`).set(auth),
});

describe('detector configs', () => {
  it('creates (bare or wrapped), reads, lists, merges and deletes', async () => {
    const created = await api()
      .post('/detectors', {
        detector: {
          key: 'trend',
          name: 'Trend',
          symbols: ['btcusdt', { name: 'ETHUSDT', quantity: 0.5 }],
          intervals: ['1m'],
          connectorType: 'sim',
          marketType: 'spot',
          indicators: [{ name: 'SMA', parameters: { period: 20 } }],
        },
      })
      .expect(201);
    expect(created.body).toMatchObject({
      key: 'trend',
      name: 'Trend',
      symbols: [{ name: 'BTCUSDT' }, { name: 'ETHUSDT', quantity: '0.5' }],
      intervals: ['min1'],
      isActive: true,
      isBlocked: false,
      params: {},
      indicators: [{ name: 'SMA', parameters: { period: 20 } }],
      createdAt: s.clock.t,
      updatedAt: s.clock.t,
      status: 'offline',
    });
    await api().post('/detectors', { key: 'bare' }).expect(201);
    expect((await api().get('/detectors').expect(200)).body.map((d: { key: string }) => d.key)).toEqual([
      'bare',
      'trend',
    ]);
    expect((await api().get('/detectors/trend').expect(200)).body.name).toBe('Trend');

    s.clock.t += 1_000;
    const updated = await api()
      .put('/detectors/trend', { options: { name: 'Trend v2', params: { fast: 5 } } })
      .expect(200);
    expect(updated.body).toMatchObject({
      key: 'trend',
      name: 'Trend v2',
      params: { fast: 5 },
      symbols: [{ name: 'BTCUSDT' }, { name: 'ETHUSDT', quantity: '0.5' }],
      updatedAt: s.clock.t,
      createdAt: s.clock.t - 1_000,
    });
    // A GET result sent back as-is (with its derived fields) is a valid update.
    await api()
      .put('/detectors/trend', { ...updated.body, isBlocked: true })
      .expect(200);

    expect((await api().del('/detectors/bare').expect(200)).body).toEqual({ deleted: true });
    await api().get('/detectors/bare').expect(404);
    await api().del('/detectors/bare').expect(404);
    // The key is free again after a delete.
    expect((await api().post('/detectors', { key: 'bare', name: 'again' }).expect(201)).body).toMatchObject({
      name: 'again',
      createdAt: s.clock.t,
    });
  });

  it('409 on a duplicate, 404 on unknown, 400 on invalid input', async () => {
    await api().post('/detectors', { key: 'dup' }).expect(201);
    const dup = await api()
      .post('/detectors', { detector: { key: 'dup' } })
      .expect(409);
    expect(dup.body.error.code).toBe('CONFLICT');
    expect((await api().get('/detectors/none').expect(404)).body.error.code).toBe('NOT_FOUND');
    await api().put('/detectors/none', { name: 'x' }).expect(404);
    await api()
      .post('/detectors', { key: 'bad', intervals: ['7x'] })
      .expect(400);
    await api().post('/detectors', { name: 'no key' }).expect(400);
    await api().post('/detectors', { key: 'a/b' }).expect(400);
    // A merge that would store an invalid config is refused and leaves the stored one alone.
    await api().put('/detectors/dup', { symbols: 'BTCUSDT' }).expect(400);
    await api().put('/detectors/dup', { key: 'other' }).expect(400);
    expect((await api().get('/detectors/dup')).body.symbols).toEqual([]);
  });

  it('derives status from the registry and the flags', async () => {
    await api().post('/detectors', { key: 'live' }).expect(201);
    await api().post('/detectors', { key: 'paused', isActive: false }).expect(201);
    await api().post('/detectors', { key: 'banned', isBlocked: true }).expect(201);
    for (const appKey of ['live', 'paused', 'banned'])
      await s.registry.register({ appType: 'detector', appKey, baseUrl: 'http://127.0.0.1:8083' });
    await s.registry.register({ appType: 'inspector', appKey: 'offline', baseUrl: 'http://127.0.0.1:8082' });
    await api().post('/detectors', { key: 'offline' }).expect(201);
    const status = async () =>
      Object.fromEntries(
        (await api().get('/detectors')).body.map((d: { key: string; status: string }) => [d.key, d.status]),
      );
    expect(await status()).toMatchObject({ live: 'active', paused: 'disabled', banned: 'blocked', offline: 'offline' });
    expect((await api().get('/detectors/live')).body.status).toBe('active');
    s.clock.t += 60_001;
    expect(await status()).toMatchObject({ live: 'offline', paused: 'offline', banned: 'offline' });
  });

  it('status precedence', () => {
    expect(detectorStatus({ isActive: false, isBlocked: true }, false)).toBe('offline');
    expect(detectorStatus({ isActive: false, isBlocked: true }, true)).toBe('blocked');
    expect(detectorStatus({ isActive: false, isBlocked: false }, true)).toBe('disabled');
    expect(detectorStatus({ isActive: true, isBlocked: false }, true)).toBe('active');
  });
});

describe('inspector configs', () => {
  it('accepts the reference `{ sysname, options }`, merges with `{ options }` and deletes', async () => {
    const created = await api()
      .post('/inspectors', {
        sysname: 'risk',
        options: {
          riskManagement: { stopLossPercent: 0.5, takeProfitPercent: 2.5 },
          tradeSettings: { maxLeverage: 10 },
        },
      })
      .expect(201);
    expect(created.body).toMatchObject({
      sysname: 'risk',
      isActive: true,
      riskManagement: { stopLossPercent: 0.5 },
      tradeSettings: { maxLeverage: 10 },
    });
    await api().post('/inspectors', { sysname: 'risk' }).expect(409);
    await api().post('/inspectors', { sysname: 'other', name: 'Other' }).expect(201);
    expect((await api().get('/inspectors')).body.map((i: { sysname: string }) => i.sysname)).toEqual(['other', 'risk']);

    const updated = await api()
      .put('/inspectors/risk', { options: { riskManagement: { stopLossPercent: 1 } } })
      .expect(200);
    // Shallow: a section given replaces the stored section; sections not given stay.
    expect(updated.body).toMatchObject({ riskManagement: { stopLossPercent: 1 }, tradeSettings: { maxLeverage: 10 } });
    expect(updated.body.riskManagement.takeProfitPercent).toBeUndefined();
    expect((await api().get('/inspectors/risk')).body.riskManagement).toEqual({ stopLossPercent: 1 });

    expect((await api().del('/inspectors/risk').expect(200)).body).toEqual({ deleted: true });
    await api().get('/inspectors/risk').expect(404);
    await api().put('/inspectors/risk', { name: 'x' }).expect(404);
    await api().post('/inspectors', { options: {} }).expect(400);
  });
});

describe('routing between CRUD and the proxy', () => {
  it('one segment after the key is CRUD, anything deeper is proxied', async () => {
    await api().post('/detectors', { key: 'split' }).expect(201);
    await api().get('/detectors/split/').expect(200);
    // Deeper paths go to the proxy, which knows no app "split".
    const deeper = await api().get('/detectors/split/symbols').expect(404);
    expect(deeper.body.error.message).toContain('detector "split"');
  });
});
