export { describeWithNats, describeWithPostgres, integrationAvailable } from './integration';
export { createTestDatabase } from './postgres';
export type { TestDatabase } from './postgres';
