import { join } from 'node:path';
import { DetectorLoadError, builtinDetector, loadDetectorModule, loadDetectors } from './definitions';

const FIXTURE = join(__dirname, '..', 'testing', 'fixture-detectors.ts');

describe('detector definitions', () => {
  it('finds the kit examples by name and by short alias', () => {
    expect(builtinDetector('ema-cross-atr').name).toBe('ema-cross-atr');
    expect(builtinDetector('ema-cross').name).toBe('ema-cross-atr');
    expect(builtinDetector('rsi-reversion').name).toBe('rsi-mean-reversion');
    expect(() => builtinDetector('nope')).toThrow(/unknown detector "nope".*ema-cross-atr/);
  });

  it('loads every detector a module exports, defining bare specs', async () => {
    const detectors = await loadDetectorModule(FIXTURE);
    // Export order depends on the module format, so compare by name.
    expect(detectors.map((d) => [d.name, d.kind]).sort()).toEqual([
      ['bare', 'evaluate'],
      ['broken', 'evaluate'],
      ['threshold', 'evaluate'],
    ]);
  });

  it('refuses modules that are missing or export no detector', async () => {
    await expect(loadDetectorModule('does/not/exist.js')).rejects.toBeInstanceOf(DetectorLoadError);
    await expect(loadDetectorModule(join(__dirname, 'plan.ts'))).rejects.toThrow(/exports no detector/);
  });

  it('combines built-ins and modules with unique names', async () => {
    const all = await loadDetectors({ names: ['ema-cross', 'rsi-reversion'], modules: [FIXTURE] });
    expect(all.map((d) => d.name).slice(0, 2)).toEqual(['ema-cross-atr', 'rsi-mean-reversion']);
    expect(
      all
        .map((d) => d.name)
        .slice(2)
        .sort(),
    ).toEqual(['bare', 'broken', 'threshold']);
    await expect(loadDetectors({ names: ['ema-cross', 'ema-cross-atr'], modules: [] })).rejects.toThrow(
      /configured twice/,
    );
    await expect(loadDetectors({ names: [], modules: [] })).rejects.toThrow(/no detectors configured/);
  });
});
