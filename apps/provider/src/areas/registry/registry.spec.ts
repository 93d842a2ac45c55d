import request from 'supertest';
import { auth, createSpecApp } from './spec-app';
import type { SpecApp } from './spec-app';

let s: SpecApp;
beforeEach(async () => {
  s = await createSpecApp({ ttlMs: 60_000 });
});
afterEach(() => s.close());

const register = (body: object) => request(s.app).post('/api/apps/registry/register').set(auth).send(body);
const inspector = {
  appType: 'inspector',
  appKey: 'inspector',
  baseUrl: 'http://127.0.0.1:8082/',
  name: 'Risk',
  version: '1.0.0',
  meta: { pid: 1, apiToken: 'app-secret' },
};

describe('app registry', () => {
  it('registers, lists and reads an app with isActive and staleMs', async () => {
    const created = await register(inspector).expect(201);
    expect(created.body).toEqual({
      ok: true,
      data: expect.objectContaining({
        appType: 'inspector',
        appKey: 'inspector',
        baseUrl: 'http://127.0.0.1:8082',
        name: 'Risk',
        version: '1.0.0',
        status: 'registered',
        isActive: true,
        staleMs: 0,
        registeredAt: s.clock.t,
        unregisteredAt: null,
      }),
    });
    expect(created.body.data.meta).toEqual({ pid: 1 });
    expect(created.body.data.ip).toMatch(/127\.0\.0\.1/);

    s.clock.t += 5_000;
    const list = await request(s.app).get('/api/apps/registry').set(auth).expect(200);
    expect(list.body).toMatchObject({
      ok: true,
      count: 1,
      data: [{ appKey: 'inspector', isActive: true, staleMs: 5_000 }],
    });
    const one = await request(s.app).get('/api/apps/registry/inspector/inspector').set(auth).expect(200);
    expect(one.body.data).toMatchObject({ appKey: 'inspector', staleMs: 5_000 });
    expect(JSON.stringify([created.body, list.body, one.body])).not.toContain('app-secret');
  });

  it('flips isActive after the TTL and back on a heartbeat', async () => {
    await register(inspector).expect(201);
    s.clock.t += 60_000;
    expect((await request(s.app).get('/api/apps/registry/inspector/inspector').set(auth)).body.data.isActive).toBe(
      true,
    );
    s.clock.t += 1;
    expect((await request(s.app).get('/api/apps/registry/inspector/inspector').set(auth)).body.data).toMatchObject({
      isActive: false,
      staleMs: 60_001,
    });
    expect((await request(s.app).get('/api/apps/registry').set(auth)).body).toMatchObject({ count: 0, data: [] });
    expect((await request(s.app).get('/api/apps/registry?includeInactive=true').set(auth)).body).toMatchObject({
      count: 1,
    });

    const hb = await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector', meta: { load: 0.5 } })
      .expect(200);
    expect(hb.body.data).toMatchObject({
      isActive: true,
      staleMs: 0,
      meta: { pid: 1, load: 0.5 },
      baseUrl: 'http://127.0.0.1:8082',
      registeredAt: s.clock.t - 60_001,
    });
  });

  it('a heartbeat from an unknown app registers it; without baseUrl it is a 400', async () => {
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'advisor', appKey: 'adv' })
      .expect(400);
    const hb = await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'advisor', appKey: 'adv', baseUrl: 'http://127.0.0.1:8081' })
      .expect(200);
    expect(hb.body.data).toMatchObject({ appKey: 'adv', isActive: true });
    expect(s.emitted.map((e) => e.name)).toEqual(['PROVIDER_APP_REGISTERED', 'PROVIDER_APP_HEARTBEAT']);
  });

  it('unregister keeps the row, marks it inactive, and re-registration keeps registeredAt', async () => {
    await register(inspector).expect(201);
    const first = s.clock.t;
    s.clock.t += 1_000;
    const un = await request(s.app)
      .post('/api/apps/registry/unregister')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector', reason: 'shutdown' })
      .expect(200);
    expect(un.body.data).toMatchObject({
      status: 'unregistered',
      isActive: false,
      unregisteredAt: s.clock.t,
      unregisterReason: 'shutdown',
    });
    expect((await request(s.app).get('/api/apps/registry/inspector/inspector').set(auth)).body.data.status).toBe(
      'unregistered',
    );
    expect(
      (
        await request(s.app)
          .post('/api/apps/registry/unregister')
          .set(auth)
          .send({ appType: 'advisor', appKey: 'nobody' })
          .expect(200)
      ).body,
    ).toEqual({ ok: true, data: null });
    // A repeated unregister keeps the first time and reason and announces nothing new.
    const unregisteredAt = s.clock.t;
    s.clock.t += 500;
    const repeat = await request(s.app)
      .post('/api/apps/registry/unregister')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector', reason: 'retry' })
      .expect(200);
    expect(repeat.body.data).toMatchObject({ status: 'unregistered', unregisteredAt, unregisterReason: 'shutdown' });
    expect(s.emitted.filter((e) => e.name === 'PROVIDER_APP_UNREGISTERED')).toHaveLength(1);

    s.clock.t += 1_000;
    const again = await register({ ...inspector, version: '1.1.0' }).expect(201);
    expect(again.body.data).toMatchObject({
      status: 'registered',
      isActive: true,
      registeredAt: first,
      version: '1.1.0',
      unregisteredAt: null,
    });
    expect(again.body.data.unregisterReason).toBeUndefined();
  });

  it('publishes register, heartbeat and unregister events without secrets', async () => {
    await register(inspector).expect(201);
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector' })
      .expect(200);
    await request(s.app)
      .post('/api/apps/registry/unregister')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector' })
      .expect(200);
    expect(s.emitted).toEqual([
      {
        name: 'PROVIDER_APP_REGISTERED',
        payload: {
          appType: 'inspector',
          appKey: 'inspector',
          baseUrl: 'http://127.0.0.1:8082',
          registeredAt: s.clock.t,
          version: '1.0.0',
          meta: { pid: 1 },
        },
      },
      { name: 'PROVIDER_APP_HEARTBEAT', payload: { appType: 'inspector', appKey: 'inspector', at: s.clock.t } },
      {
        name: 'PROVIDER_APP_UNREGISTERED',
        payload: { appType: 'inspector', appKey: 'inspector', reason: 'requested' },
      },
    ]);
  });

  it('announces an expired app once, and again as registered when it comes back', async () => {
    await register(inspector).expect(201);
    s.emitted.length = 0;
    expect(await s.registry.sweepExpired()).toBe(0);
    s.clock.t += 60_001;
    expect(await s.registry.sweepExpired()).toBe(1);
    expect(await s.registry.sweepExpired()).toBe(0);
    expect(s.emitted).toEqual([
      { name: 'PROVIDER_APP_UNREGISTERED', payload: { appType: 'inspector', appKey: 'inspector', reason: 'expired' } },
    ]);
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector' })
      .expect(200);
    expect(s.emitted.slice(1).map((e) => e.name)).toEqual(['PROVIDER_APP_REGISTERED', 'PROVIDER_APP_HEARTBEAT']);
    s.clock.t += 60_001;
    expect(await s.registry.sweepExpired()).toBe(1);
  });

  it('upserts a detector config from meta.detectorSnapshot on register and heartbeat', async () => {
    const snap = { name: 'EMA cross', symbols: ['BTCUSDT'], intervals: ['min5'], params: { fast: 9 } };
    await register({
      appType: 'detector',
      appKey: 'ema',
      baseUrl: 'http://127.0.0.1:8083',
      meta: { detectorSnapshot: snap },
    }).expect(201);
    const created = await request(s.app).get('/api/detectors/ema').set(auth).expect(200);
    expect(created.body).toMatchObject({
      key: 'ema',
      name: 'EMA cross',
      symbols: [{ name: 'BTCUSDT' }],
      intervals: ['min5'],
      params: { fast: 9 },
      status: 'active',
    });
    const firstUpdate = created.body.updatedAt;
    s.clock.t += 1_000;
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'detector', appKey: 'ema', meta: { detectorSnapshot: snap } })
      .expect(200);
    expect((await request(s.app).get('/api/detectors/ema').set(auth)).body.updatedAt).toBe(firstUpdate);
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'detector', appKey: 'ema', meta: { detectorSnapshot: { ...snap, params: { fast: 12 } } } })
      .expect(200);
    expect((await request(s.app).get('/api/detectors/ema').set(auth)).body).toMatchObject({
      params: { fast: 12 },
      updatedAt: s.clock.t,
    });
    // A user's change to a field the snapshot does not carry survives the next heartbeat.
    await request(s.app).put('/api/detectors/ema').set(auth).send({ isBlocked: true }).expect(200);
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'detector', appKey: 'ema', meta: { detectorSnapshot: { ...snap, params: { fast: 12 } } } })
      .expect(200);
    expect((await request(s.app).get('/api/detectors/ema').set(auth)).body).toMatchObject({
      isBlocked: true,
      status: 'blocked',
    });
  });

  it('gives detectors a stable studioKey', async () => {
    const d = { appType: 'detector', appKey: 'det', baseUrl: 'http://127.0.0.1:8083' };
    expect((await register(d).expect(201)).body.data.meta).toEqual({ studioKey: 'studio-1' });
    expect((await register({ ...d, meta: { x: 1 } }).expect(201)).body.data.meta).toEqual({
      studioKey: 'studio-1',
      x: 1,
    });
  });

  it('validates bodies and answers 404 for an unknown app', async () => {
    await register({ ...inspector, appType: 'robot' }).expect(400);
    await register({ ...inspector, appKey: '../x' }).expect(400);
    await register({ ...inspector, baseUrl: 'file:///etc/passwd' }).expect(400);
    const missing = await request(s.app).get('/api/apps/registry/advisor/nobody').set(auth).expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    await request(s.app).get('/api/apps/registry').expect(401);
  });

  it('lists proxy targets by type', async () => {
    await register(inspector).expect(201);
    await register({ appType: 'advisor', appKey: 'advisor', baseUrl: 'http://127.0.0.1:8081' }).expect(201);
    s.clock.t += 61_000;
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'advisor', appKey: 'advisor' })
      .expect(200);
    const targets = await request(s.app).get('/api/proxy/targets').set(auth).expect(200);
    expect(targets.body).toEqual({
      advisors: [
        {
          key: 'advisor',
          type: 'advisor',
          baseUrl: 'http://127.0.0.1:8081',
          enabled: true,
          isActive: true,
          staleMs: 0,
          source: 'db',
        },
      ],
      inspectors: [
        {
          key: 'inspector',
          type: 'inspector',
          baseUrl: 'http://127.0.0.1:8082',
          enabled: false,
          isActive: false,
          staleMs: 61_000,
          source: 'db',
        },
      ],
      detectors: [],
    });
  });

  it('answers 503 when storage fails, and hands the cause to the log', async () => {
    const causes: unknown[] = [];
    const failing = await createSpecApp({ ttlMs: 60_000, onStorageError: (err) => causes.push(err) });
    await failing.db.close();
    try {
      const res = await request(failing.app).get('/api/apps/registry').set(auth).expect(503);
      expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', message: 'App registry temporarily unavailable' });
      expect(causes).toHaveLength(1);
      expect(causes[0]).toBeInstanceOf(Error);
    } finally {
      await failing.close();
    }
  });

  it('with PROVIDER_APP_ALLOWED_HOSTS, refuses other hosts at registration and at every proxied call', async () => {
    // Registered before the allowlist (same database): the proxy must not reach it afterwards either.
    await register(inspector).expect(201);
    const guarded = await createSpecApp({ ttlMs: 60_000, targets: { allowedHosts: ['Inspector', '::1'] }, db: s.db });
    try {
      const refused = await request(guarded.app)
        .post('/api/apps/registry/register')
        .set(auth)
        .send({ ...inspector, appKey: 'other', baseUrl: 'http://169.254.169.254' })
        .expect(403);
      expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { host: '169.254.169.254' } });
      await request(guarded.app)
        .post('/api/apps/registry/register')
        .set(auth)
        .send({ ...inspector, appKey: 'named', baseUrl: 'http://inspector:8082' })
        .expect(201);
      await request(guarded.app)
        .post('/api/apps/registry/register')
        .set(auth)
        .send({ ...inspector, appKey: 'v6', baseUrl: 'http://[::1]:8082' })
        .expect(201);
      await expect(guarded.registry.resolve('inspector', 'inspector')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const proxied = await request(guarded.app).get('/api/inspectors/inspector/risk/dashboard').set(auth).expect(403);
      expect(proxied.body.error.code).toBe('FORBIDDEN');
      await expect(guarded.registry.resolve('inspector', 'named')).resolves.toMatchObject({
        baseUrl: 'http://inspector:8082',
      });
    } finally {
      await guarded.close();
    }
  });

  it('resolves proxy targets from a cache that local writes invalidate and the TTL still governs', async () => {
    const cached = await createSpecApp({ ttlMs: 60_000, lookupCacheMs: 60_000 });
    try {
      const r = cached.registry;
      await expect(r.resolve('inspector', 'inspector')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await r.register({
        appType: 'inspector',
        appKey: 'inspector',
        baseUrl: 'http://127.0.0.1:1',
        meta: { apiToken: 't' },
      });
      await expect(r.resolve('inspector', 'inspector')).resolves.toEqual({
        baseUrl: 'http://127.0.0.1:1',
        apiToken: 't',
      });
      cached.clock.t += 60_001;
      await expect(r.resolve('inspector', 'inspector')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await r.heartbeat({ appType: 'inspector', appKey: 'inspector' });
      await expect(r.resolve('inspector', 'inspector')).resolves.toMatchObject({ baseUrl: 'http://127.0.0.1:1' });
      await r.unregister({ appType: 'inspector', appKey: 'inspector' });
      await expect(r.resolve('inspector', 'inspector')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await cached.close();
    }
  });

  it('never sends an app credential to a baseUrl it was not registered with', async () => {
    await register(inspector).expect(201);
    await expect(s.registry.resolve('inspector', 'inspector')).resolves.toEqual({
      baseUrl: 'http://127.0.0.1:8082',
      apiToken: 'app-secret',
    });
    // The same address keeps the stored credential, whether the write repeats baseUrl or not.
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector', baseUrl: 'http://127.0.0.1:8082' })
      .expect(200);
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector' })
      .expect(200);
    await expect(s.registry.resolve('inspector', 'inspector')).resolves.toEqual({
      baseUrl: 'http://127.0.0.1:8082',
      apiToken: 'app-secret',
    });
    // A move without a token of its own (a heartbeat or a registration) leaves the old one behind.
    await request(s.app)
      .post('/api/apps/registry/heartbeat')
      .set(auth)
      .send({ appType: 'inspector', appKey: 'inspector', baseUrl: 'http://10.9.9.9' })
      .expect(200);
    await expect(s.registry.resolve('inspector', 'inspector')).resolves.toEqual({ baseUrl: 'http://10.9.9.9' });
    await register({ ...inspector, meta: { pid: 2 } }).expect(201);
    await expect(s.registry.resolve('inspector', 'inspector')).resolves.toEqual({ baseUrl: 'http://127.0.0.1:8082' });
    // The app itself re-registering (it always sends its token) restores it.
    await register(inspector).expect(201);
    await register({ ...inspector, baseUrl: 'http://127.0.0.1:9082', meta: { apiToken: 'moved-secret' } }).expect(201);
    await expect(s.registry.resolve('inspector', 'inspector')).resolves.toEqual({
      baseUrl: 'http://127.0.0.1:9082',
      apiToken: 'moved-secret',
    });
  });

  it('sends one lookup query for a burst of proxied calls, and none while the entry is fresh', async () => {
    const cached = await createSpecApp({ ttlMs: 60_000, lookupCacheMs: 60_000 });
    try {
      await cached.registry.register({ appType: 'detector', appKey: 'det', baseUrl: 'http://127.0.0.1:1' });
      const find = jest.spyOn(cached.db.prisma.appRegistration, 'findUnique');
      const burst = await Promise.all(Array.from({ length: 20 }, () => cached.registry.resolve('detector', 'det')));
      expect(burst).toEqual(Array.from({ length: 20 }, () => ({ baseUrl: 'http://127.0.0.1:1' })));
      await cached.registry.resolve('detector', 'det');
      expect(find).toHaveBeenCalledTimes(1);
    } finally {
      await cached.close();
    }
  });
});
