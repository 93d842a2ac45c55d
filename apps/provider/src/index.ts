// What a launcher needs to run the provider inside its own process (the embedded stack).
export { bootProvider, ensureApiToken } from './boot';
export type { BootProviderDeps } from './boot';
export { createProvider } from './app';
export type { Provider, ProviderDeps } from './app';
export { loadProviderConfig, ProviderConfigSchema } from './config';
export type { ProviderConfig } from './config';
