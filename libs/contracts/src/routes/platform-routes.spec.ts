import { SignalsContextQuerySchema } from './platform-routes';

const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('signals context query', () => {
  it('takes day windows from 1 to 3650 and defaults the rest', () => {
    expect(SignalsContextQuerySchema.parse({ daysD1: '1', daysH4: '3650' })).toMatchObject({ daysD1: 1, daysH4: 3650, daysH1: 90 });
  });
  it.each(['0', '-5', '3651', '99999', '1.5', 'abc', ''])('refuses daysD1=%j instead of clamping it', (raw) => {
    const r = SignalsContextQuerySchema.safeParse({ daysD1: raw });
    expect(r.success).toBe(false);
    expect(issues(r)).toEqual([expect.stringMatching(/^daysD1: daysD1 must be/)]);
  });
});
