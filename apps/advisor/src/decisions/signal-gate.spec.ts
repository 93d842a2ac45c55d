import { longIdea } from '../testing/fixtures';
import { createSignalGate, ideaFingerprint } from './signal-gate';

const config = { cooldownMs: 60_000, dedupWindowMs: 300_000 };

describe('signal gate', () => {
  let clock = 0;
  const gate = () => createSignalGate(() => clock);
  beforeEach(() => (clock = 1_000_000));

  it('throttles a symbol for exactly the cooldown after an approval', () => {
    const g = gate();
    g.note(longIdea({ signalId: 'a' }), true, config);
    clock += 59_999;
    expect(g.check(longIdea({ signalId: 'b', entry: '113' }), config)?.outcome).toBe('throttled');
    clock += 1;
    expect(g.check(longIdea({ signalId: 'b', entry: '113' }), config)).toBeUndefined();
  });

  it('does not throttle after a rejection, nor other symbols', () => {
    const g = gate();
    g.note(longIdea({ signalId: 'a' }), false, config);
    expect(g.check(longIdea({ signalId: 'b', entry: '113' }), config)).toBeUndefined();
    g.note(longIdea({ signalId: 'c', entry: '114' }), true, config);
    expect(g.check(longIdea({ signalId: 'd', symbol: 'ETHUSDT' }), config)).toBeUndefined();
  });

  it('drops the same idea under a new signal id within the window, then lets it through', () => {
    const g = gate();
    g.note(longIdea({ signalId: 'a' }), false, config);
    clock += 299_999;
    expect(g.check(longIdea({ signalId: 'b' }), config)).toMatchObject({ outcome: 'duplicate' });
    clock += 1;
    expect(g.check(longIdea({ signalId: 'b' }), config)).toBeUndefined();
  });

  it('never dedups explicit requests, but throttles them', () => {
    const g = gate();
    const request = longIdea({ origin: 'request', requestId: 'r1' });
    g.note(request, true, config);
    expect(g.check({ ...request, requestId: 'r2' }, config)?.outcome).toBe('throttled');
  });

  it('fingerprints ignore the signal id but not the levels', () => {
    expect(ideaFingerprint(longIdea({ signalId: 'x' }))).toBe(ideaFingerprint(longIdea({ signalId: 'y' })));
    expect(ideaFingerprint(longIdea({ stop: '110' }))).not.toBe(ideaFingerprint(longIdea()));
  });
});
