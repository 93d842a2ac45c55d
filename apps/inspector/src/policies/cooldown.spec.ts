import { checkCooldown } from './cooldown';
import { NOON, policies, snapshot } from './spec-helpers';

describe('cooldown after a loss', () => {
  const p = policies({ cooldownMs: 30_000 });

  it('throttles 1 ms before the cooldown ends', () => {
    const check = checkCooldown(snapshot({ lastLossAt: NOON - 29_999 }), p);
    expect(check).toMatchObject({ passed: false, action: 'THROTTLE', current: '29999', limit: '30000' });
    expect(check.reason).toContain('1 ms left');
  });

  it('allows exactly when the cooldown has elapsed', () => {
    expect(checkCooldown(snapshot({ lastLossAt: NOON - 30_000 }), p).passed).toBe(true);
  });

  it('passes with no loss yet, or when turned off', () => {
    expect(checkCooldown(snapshot(), p).passed).toBe(true);
    expect(checkCooldown(snapshot({ lastLossAt: NOON }), policies({ cooldownMs: 0 })).passed).toBe(true);
  });
});
