import { MAX_VIA_HOPS, upstreamRequestHeaders } from './headers';

const ctx = {
  host: 'app:8083',
  proto: 'http',
  prefix: '/api/detectors/det',
  via: { protocol: '1.1', by: 'barfinex-self' },
};
const viaOf = (raw: string[]) => {
  const { headers, loop } = upstreamRequestHeaders(raw, ctx);
  return { via: headers.filter((_, i) => i % 2 === 1 && headers[i - 1] === 'via'), loop };
};

describe('Via', () => {
  it('adds this provider to the Via the request came with, as one field', () => {
    expect(viaOf([])).toEqual({ via: ['1.1 barfinex-self'], loop: false });
    expect(viaOf(['Via', '1.1 edge (nginx)', 'via', 'HTTP/1.0 cache'])).toEqual({
      via: ['1.1 edge (nginx), HTTP/1.0 cache, 1.1 barfinex-self'],
      loop: false,
    });
  });

  it('marks a request that already passed this provider as a loop', () => {
    expect(viaOf(['Via', '1.1 barfinex-self']).loop).toBe(true);
    expect(viaOf(['Via', '1.1 edge, 1.1\tbarfinex-self (Barfinex)']).loop).toBe(true);
    expect(viaOf(['Via', '1.1 barfinex-self-2']).loop).toBe(false);
  });

  it(`takes ${MAX_VIA_HOPS} proxies on one request's way as a loop through others`, () => {
    const hops = (n: number) => Array.from({ length: n }, (_, i) => `1.1 p${i}`).join(', ');
    expect(viaOf(['Via', hops(MAX_VIA_HOPS - 1)]).loop).toBe(false);
    expect(viaOf(['Via', hops(MAX_VIA_HOPS)]).loop).toBe(true);
  });
});
