// Test helpers, for specs and test harnesses only (`@barfinex/db/testing`): production code imports
// `@barfinex/db`, whose index exports none of them.
export { createTestPglite } from './test-pglite';
export type { TestPgliteOptions } from './test-pglite';
