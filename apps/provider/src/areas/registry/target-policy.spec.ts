import { createTargetPolicy } from './target-policy';
import type { TargetPolicyOptions } from './target-policy';

const PORT = 8080;
const DNS: Record<string, string[]> = {
  'provider.internal': ['10.0.0.7'],
  'sneaky.example': ['127.0.0.1', '169.254.169.254'],
  'looper.example': ['127.0.0.1'],
  detector: ['10.0.0.9'],
};

function policy(options: TargetPolicyOptions = {}) {
  return createTargetPolicy({
    resolve: async (name) => DNS[name] ?? [],
    self: {
      host: '0.0.0.0',
      port: () => PORT,
      localAddresses: () => ['127.0.0.1', '::1', '10.0.0.7'],
      publicUrl: 'https://bfx.example.com',
    },
    ...options,
  });
}

async function refusal(p: ReturnType<typeof policy>, baseUrl: string) {
  try {
    await p.checkRegistration('detector', 'det', baseUrl);
    return undefined;
  } catch (err) {
    return err as { code: string; status: number; message: string };
  }
}

describe('registration of a baseUrl', () => {
  it.each([
    'http://169.254.169.254',
    'http://169.254.169.254:80/latest/meta-data/',
    'http://2852039166/',
    'http://0xa9.0xfe.0xa9fe/',
    'http://0xa9.16689662/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00:ec2::254]/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://100.100.100.200/',
    'http://[fe80::1]:8083/',
    'http://0.0.0.0:8083',
    'http://0:8083',
    'http://[::]:8083',
    'http://sneaky.example:8083',
  ])('refuses %s with 403', async (baseUrl) => {
    expect(await refusal(policy(), baseUrl)).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
      message: expect.stringContaining('PROVIDER_APP_ALLOW_METADATA_ADDRESSES=true'),
    });
  });

  it('refuses them whatever PROVIDER_APP_ALLOWED_HOSTS says, and allows them only with the explicit opt-in', async () => {
    const listed = policy({ allowedHosts: ['169.254.169.254', 'metadata.google.internal', 'sneaky.example'] });
    for (const url of ['http://169.254.169.254', 'http://metadata.google.internal', 'http://sneaky.example:1'])
      expect(await refusal(listed, url)).toMatchObject({ status: 403 });
    expect(() => listed.check('detector', 'det', 'http://169.254.169.254')).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    const optedIn = policy({ allowMetadataAddresses: true });
    for (const url of [
      'http://169.254.169.254',
      'http://metadata.google.internal',
      'http://sneaky.example:1',
      'http://[fe80::1]:8083',
    ])
      expect(await refusal(optedIn, url)).toBeUndefined();
    expect(() => optedIn.check('detector', 'det', 'http://169.254.169.254')).not.toThrow();
  });

  it.each([
    'http://127.0.0.1:8083',
    'http://127.1:8083',
    'http://2130706433:8083',
    'http://localhost:8083',
    'http://[::1]:8083',
    'http://detector:8083',
    'http://10.0.0.7:8083',
    'http://unresolvable:8083',
  ])('accepts %s (loopback and private addresses on another port)', async (baseUrl) => {
    expect(await refusal(policy(), baseUrl)).toBeUndefined();
  });

  it.each([
    'http://127.0.0.1:8080/api/detectors/det',
    'http://127.1:8080',
    'http://2130706433:8080/',
    'http://0x7f.1:8080/',
    'http://0177.0.0.1:8080/',
    'http://[::ffff:127.0.0.1]:8080',
    'http://localhost:8080',
    'http://[::1]:8080',
    'http://127.0.0.2:8080',
    'http://10.0.0.7:8080',
    'http://provider.internal:8080',
    'http://looper.example:8080',
    'https://bfx.example.com/api/detectors/det',
    'https://BFX.example.com:443',
  ])('refuses %s with 400: it is this provider itself', async (baseUrl) => {
    expect(await refusal(policy(), baseUrl)).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      message: expect.stringContaining('is this provider itself'),
    });
  });

  it('judges "itself" by the address the provider listens on', async () => {
    const onLoopback = policy({ self: { host: '127.0.0.1', port: () => PORT } });
    expect(await refusal(onLoopback, 'http://127.0.0.1:8080')).toMatchObject({ status: 400 });
    expect(await refusal(onLoopback, 'http://localhost:8080')).toMatchObject({ status: 400 });
    expect(await refusal(onLoopback, 'http://[::ffff:127.0.0.1]:8080')).toMatchObject({ status: 400 });
    expect(await refusal(onLoopback, 'http://[::ffff:7f00:1]:8080')).toMatchObject({ status: 400 });
    // Another process may listen on another interface with the same port.
    expect(await refusal(onLoopback, 'http://10.0.0.7:8080')).toBeUndefined();
    expect(await refusal(onLoopback, 'http://127.0.0.1:8081')).toBeUndefined();
  });
});

describe('the check on every proxied call', () => {
  it('needs no DNS and refuses literal addresses and PROVIDER_APP_ALLOWED_HOSTS misses', () => {
    const p = policy({ allowedHosts: ['detector', '127.0.0.1'] });
    expect(() => p.check('detector', 'det', 'http://detector:8083')).not.toThrow();
    expect(() => p.check('detector', 'det', 'http://127.1:8083')).not.toThrow();
    expect(() => p.check('detector', 'det', 'http://advisor:8081')).toThrow(
      expect.objectContaining({ status: 403, message: expect.stringContaining('PROVIDER_APP_ALLOWED_HOSTS') }),
    );
    expect(() => p.check('detector', 'det', 'http://[::ffff:169.254.169.254]')).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });
});
