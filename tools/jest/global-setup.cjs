// Probes the integration servers once per jest run. Integration specs read the result through
// `@barfinex/testing`; with CI=true a missing server fails the suite instead of skipping it.
const net = require('node:net');

function reachable(url, fallbackPort) {
  return new Promise((resolve) => {
    let host = '127.0.0.1';
    let port = fallbackPort;
    try {
      const u = new URL(url);
      host = u.hostname || host;
      port = Number(u.port) || fallbackPort;
    } catch {
      // keep defaults
    }
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

module.exports = async function globalSetup() {
  process.env.NATS_URL ??= 'nats://127.0.0.1:4222';
  process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  process.env.BARFINEX_TEST_NATS = (await reachable(process.env.NATS_URL, 4222)) ? '1' : '0';
  process.env.BARFINEX_TEST_POSTGRES = (await reachable(process.env.TEST_DATABASE_URL, 5432)) ? '1' : '0';
};
