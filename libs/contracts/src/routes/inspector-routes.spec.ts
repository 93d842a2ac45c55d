import { effectiveScopes, scopeGranted } from '../scopes';
import { proxyScope } from './registry-routes';

describe('the scope of a proxied inspector call', () => {
  it.each([
    ['POST', 'kill-switch', 'killswitch'],
    ['POST', 'inspector/kill-switch', 'killswitch'],
    ['POST', 'inspector/Kill-Switch/', 'killswitch'],
    ['POST', 'kill-switch/reset', 'killswitch'],
    ['GET', 'inspector/kill-switch', 'read'],
    ['GET', 'inspector/risk/check', 'read'],
    ['POST', 'inspector/risk/check', 'trade'],
    ['PUT', 'inspector/policies', 'configure'],
    ['POST', 'reconcile', 'configure'],
    ['POST', 'policies/kill-switch', 'configure'],
  ] as const)('%s %s needs %s', (method, splat, scope) => {
    expect(proxyScope('inspectors', method, splat)).toBe(scope);
  });

  it('is the default for other apps, whatever their path', () => {
    expect(proxyScope('detectors', 'POST', 'kill-switch')).toBe('configure');
    expect(proxyScope('notifiers', 'GET', 'telegram')).toBe('read');
  });
});

describe('implied scopes', () => {
  it('trade implies killswitch, killswitch implies nothing, admin implies all', () => {
    expect(scopeGranted(['trade'], 'killswitch')).toBe(true);
    expect(scopeGranted(['read', 'apps', 'killswitch'], 'trade')).toBe(false);
    expect(scopeGranted(new Set(['admin'] as const), 'killswitch')).toBe(true);
    expect(effectiveScopes(['read', 'trade'])).toEqual(['read', 'trade', 'killswitch']);
    expect(effectiveScopes(['killswitch'])).toEqual(['killswitch']);
  });
});
