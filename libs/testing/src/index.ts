export { describeWithNats, describeWithPostgres, integrationAvailable } from './integration';
export { createTestDatabase } from './postgres';
export type { TestDatabase } from './postgres';
export { deleteNatsStream, findRepoRoot, freePort, startProviderProcess } from './provider-process';
export type { ProviderProcess, ProviderProcessOptions } from './provider-process';
export { eventually } from './eventually';
export { startNatsServer } from './nats-server';
export type { NatsServerProcess } from './nats-server';
