// The floor of tools/bench/proxy.ts: a bare TCP relay in its own process that copies bytes between
// the caller and the app, one upstream connection per caller connection, parsing nothing (no HTTP,
// no token, no routing). Whatever a proxy process adds, it adds at least this. Prints its port.
//   env: RELAY_TARGET_PORT
import net from 'node:net';
import type { AddressInfo } from 'node:net';

const target = Number(process.env['RELAY_TARGET_PORT']);
const server = net.createServer((caller) => {
  const upstream = net.connect({ host: '127.0.0.1', port: target, noDelay: true });
  caller.setNoDelay(true);
  caller.pipe(upstream);
  upstream.pipe(caller);
  const close = () => {
    caller.destroy();
    upstream.destroy();
  };
  caller.on('error', close);
  upstream.on('error', close);
  caller.on('close', close);
  upstream.on('close', close);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
