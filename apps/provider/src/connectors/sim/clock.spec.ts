import { createSimClock } from './clock';

describe('createSimClock', () => {
  it('holds the time it is given and pauses/resumes', () => {
    const clock = createSimClock({ startMs: 1000 });
    expect(clock.now()).toBe(1000);
    clock.set(2500);
    expect(clock.now()).toBe(2500);
    expect(clock.isPaused()).toBe(false);
    clock.pause();
    expect(clock.isPaused()).toBe(true);
    clock.resume();
    expect(clock.isPaused()).toBe(false);
    expect(createSimClock({ startMs: 0, paused: true }).isPaused()).toBe(true);
    expect(() => clock.set(Number.NaN)).toThrow(RangeError);
  });
});
