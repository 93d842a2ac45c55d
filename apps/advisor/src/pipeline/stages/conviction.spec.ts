import { ConvictionConfigSchema, confidenceFloorStage, convictionStage } from './conviction';

const config = ConvictionConfigSchema.parse({ scoreWeight: 0.75, signalWeight: 0.25, minConfidence: 0.6 });

describe('conviction stage', () => {
  it('blends the independent score with the detector confidence by weight', () => {
    expect(convictionStage({ score: 0.8, detectorConfidence: 0.4 }, config).data).toBeCloseTo(0.7, 12);
  });

  it('uses the score alone for requests without a detector', () => {
    expect(convictionStage({ score: 0.42 }, config).data).toBeCloseTo(0.42, 12);
    expect(convictionStage({ score: 0.42, detectorConfidence: 1 }, { ...config, signalWeight: 0 }).data).toBeCloseTo(
      0.42,
      12,
    );
  });

  it('stays within [0, 1] for out-of-range or non-finite inputs', () => {
    expect(convictionStage({ score: 7, detectorConfidence: 1 }, config).data).toBe(1);
    expect(convictionStage({ score: -3 }, config).data).toBe(0);
    expect(convictionStage({ score: Number.NaN }, config).data).toBe(0);
  });

  it('the floor passes exactly at the threshold and fails just below', () => {
    expect(confidenceFloorStage(0.6, config).passed).toBe(true);
    const low = confidenceFloorStage(0.5999, config);
    expect(low.passed).toBe(false);
    expect(low.data.threshold).toBe(0.6);
  });

  it('refuses a config where no weight counts', () => {
    expect(ConvictionConfigSchema.safeParse({ scoreWeight: 0, signalWeight: 0 }).success).toBe(false);
  });
});
