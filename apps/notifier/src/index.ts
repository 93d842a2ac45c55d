export { NOTIFIER_VERSION, createNotifierApp } from './app';
export type { NotifierApp, NotifierDeps } from './app';
export { NotifierConfigSchema, loadNotifierConfig } from './config';
export type { NotifierConfig } from './config';
