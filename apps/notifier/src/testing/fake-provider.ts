// The provider as the notifier's commands see it: the inspector's kill switch through the proxy
// path (/api/inspectors/<key>/kill-switch), and nothing else (registration attempts get 404 and
// are retried quietly).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeProvider {
  url: string;
  killSwitch: { active: boolean; reason: string | null; actor: string | null };
  calls: { method: string; path: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startFakeProvider(inspectorKey = 'inspector'): Promise<FakeProvider> {
  const killSwitch: FakeProvider['killSwitch'] = { active: false, reason: null, actor: null };
  const calls: FakeProvider['calls'] = [];
  const base = `/api/inspectors/${inspectorKey}`;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      calls.push({ method: req.method ?? '', path: req.url ?? '', body });
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.url === `${base}/kill-switch` && req.method === 'GET') return json(200, killSwitch);
      if (req.url === `${base}/kill-switch` && req.method === 'POST') {
        Object.assign(killSwitch, {
          active: true,
          reason: String(body?.['reason'] ?? ''),
          actor: String(body?.['actor'] ?? ''),
        });
        return json(200, killSwitch);
      }
      if (req.url === `${base}/kill-switch/reset` && req.method === 'POST') {
        if (!killSwitch.active)
          return json(409, { error: { code: 'CONFLICT', message: 'kill switch is not active', details: {} } });
        Object.assign(killSwitch, { active: false, reason: null, actor: String(body?.['actor'] ?? '') });
        return json(200, killSwitch);
      }
      return json(404, { error: { code: 'NOT_FOUND', message: 'not here', details: {} } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    killSwitch,
    calls,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
