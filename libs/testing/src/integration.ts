// Integration suites run against the real servers. Locally a missing server skips them with a
// note; with CI=true a missing server is an error, so CI can never pass by skipping.
type Service = 'nats' | 'postgres';

const flags: Record<Service, string> = { nats: 'BARFINEX_TEST_NATS', postgres: 'BARFINEX_TEST_POSTGRES' };

export function integrationAvailable(service: Service): boolean {
  const value = process.env[flags[service]];
  if (value === '1') return true;
  if (process.env['CI'] === 'true') {
    throw new Error(`${service} is required for integration tests with CI=true but was not reachable`);
  }
  return false;
}

function describeWith(service: Service) {
  return (name: string, fn: () => void): void => {
    if (integrationAvailable(service)) {
      describe(`${name} [${service}]`, fn);
    } else {
      describe.skip(`${name} [${service} not reachable: skipped outside CI]`, fn);
    }
  };
}

export const describeWithNats = describeWith('nats');
export const describeWithPostgres = describeWith('postgres');
