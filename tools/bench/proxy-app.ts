// The upstream app of tools/bench/proxy.ts, in its own process as in a deployment: Express 5, the
// service-kit token guard, one JSON route. Prints its port on stdout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { tokenAuth } from '@barfinex/service-kit';

const token = process.env['APP_TOKEN'] ?? 'bench-app-token';
const payload = JSON.stringify({ signals: Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, symbol: 'BTCUSDT', score: 0.5 + i / 100, side: 'BUY' })) });
const app = express();
app.use(tokenAuth({ token }));
app.get('/signals', (_req, res) => void res.type('application/json').send(payload));
const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
