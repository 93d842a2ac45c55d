import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './webhook-signature';

const NOW = 1_800_000_000_123;
const body = '{"eventId":"e1","payload":{"price":"65000.5"}}';

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over "<unix seconds>.<body>", as the README tells receivers', () => {
    const header = signBody('s3cret', body, NOW);
    const expected = createHmac('sha256', 's3cret').update(`1800000000.${body}`).digest('hex');
    expect(header).toBe(`t=1800000000,v1=${expected}`);
    // The body's UTF-8 bytes sign the same as the string (the notifier signs the bytes it sends).
    const unicode = '{"note":"цена €"}';
    expect(signBody('s3cret', Buffer.from(unicode), NOW)).toBe(signBody('s3cret', unicode, NOW));
    expect(verifySignature(header, 's3cret', body, { nowMs: NOW + 1000 })).toEqual({
      ok: true,
      timestamp: 1_800_000_000,
    });
  });

  it('refuses another secret, a changed body, a replay outside the tolerance and malformed headers', () => {
    const header = signBody('s3cret', body, NOW);
    expect(verifySignature(header, 'other', body, { nowMs: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header, 's3cret', `${body} `, { nowMs: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header, 's3cret', body, { nowMs: NOW + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(header, 's3cret', body, { nowMs: NOW + 60_000, toleranceMs: 30_000 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    for (const bad of [undefined, '', 't=abc,v1=00', `v1=${'a'.repeat(64)}`, 't=1800000000', 't=1800000000,v1=xyz']) {
      expect(verifySignature(bad, 's3cret', body, { nowMs: NOW })).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts any of several v1 values (a secret being rotated signs twice)', () => {
    const good = signBody('new', body, NOW);
    const old = signBody('old', body, NOW).split(',')[1];
    expect(verifySignature(`${good},${old}`, 'old', body, { nowMs: NOW }).ok).toBe(true);
    expect(verifySignature(`${good},${old}`, 'new', body, { nowMs: NOW }).ok).toBe(true);
  });
});
