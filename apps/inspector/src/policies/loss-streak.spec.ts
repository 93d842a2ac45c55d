import { checkConsecutiveLosses } from './loss-streak';
import { policies, snapshot } from './spec-helpers';

describe('max consecutive losses', () => {
  it('passes one loss below the limit and stands down at it', () => {
    const p = policies({ maxConsecutiveLosses: 3 });
    expect(checkConsecutiveLosses(snapshot({ consecutiveLosses: 2 }), p).passed).toBe(true);
    expect(checkConsecutiveLosses(snapshot({ consecutiveLosses: 3 }), p)).toMatchObject({
      passed: false,
      action: 'STAND_DOWN',
      current: '3',
      limit: '3',
    });
  });

  it('is off at 0', () => {
    expect(
      checkConsecutiveLosses(snapshot({ consecutiveLosses: 99 }), policies({ maxConsecutiveLosses: 0 })).passed,
    ).toBe(true);
  });
});
