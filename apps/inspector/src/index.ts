export { INSPECTOR_APP_VERSION, createInspectorApp } from './app';
export type { InspectorApp, InspectorAppDeps } from './app';
export { InspectorConfigSchema, loadInspectorConfig } from './config';
export type { InspectorAppConfig } from './config';
export { createInspectorCore } from './core';
export type { InspectorCore } from './core';
export { RiskPoliciesSchema, DEFAULT_POLICIES } from './policies/types';
export type { RiskPolicies } from './policies/types';
