import { readFileSync } from 'node:fs';
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

  it('runs it with the node flags a benchmark asks for, as npm run start:provider does', async () => {
    const flagged = await startProviderProcess({ launch: { nodeFlags: ['--max-semi-space-size=32'] } });
    try {
      // One node process, no launcher in between: its own command line carries the flags.
      const cmdline = readFileSync(`/proc/${flagged.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.slice(1, 5)).toEqual(['--max-semi-space-size=32', '--import', 'tsx', '--conditions=development']);
      expect((await fetch(`${flagged.baseUrl}/health`)).status).toBe(200);
    } finally {
      await flagged.stop();
    }
    await expect(fetch(`${flagged.baseUrl}/health`)).rejects.toThrow();
  }, 90_000);
});
