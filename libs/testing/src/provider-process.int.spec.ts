import { describeWithNats } from './integration';
import { deleteNatsStream, startProviderProcess } from './provider-process';
import type { ProviderProcess } from './provider-process';

describeWithNats('startProviderProcess', () => {
  let p: ProviderProcess | undefined;

  afterAll(async () => {
    await p?.stop();
    if (p) await deleteNatsStream(p.streamName);
  });

  it('spawns a provider on NATS, waits for health, and stops it', async () => {
    p = await startProviderProcess({
      natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      env: { SIM_SYMBOLS: 'BTCUSDT' },
    });
    const health = await fetch(`${p.baseUrl}/health`);
    expect(health.status).toBe(200);
    const denied = await fetch(`${p.baseUrl}/api/connectors/sim/status`);
    expect(denied.status).toBe(401);
    const status = await fetch(`${p.baseUrl}/api/connectors/sim/status`, { headers: p.auth });
    expect(status.status).toBe(200);
    await p.stop();
    await expect(fetch(`${p.baseUrl}/health`)).rejects.toThrow();
  }, 90_000);
});
