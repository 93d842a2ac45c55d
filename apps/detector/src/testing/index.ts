// `@barfinex/detector/testing`: a fake provider for tests and benchmarks of the detector app.
export { createFakeProvider, minuteCandles } from './fake-provider';
export type { FakeProviderHooks } from './fake-provider';
