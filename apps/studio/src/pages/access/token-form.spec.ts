import { tokenRequest } from './token-form';

describe('tokenRequest', () => {
  it('builds the create-token body: trimmed name, scopes, optional expiry and symbol restriction', () => {
    expect(tokenRequest({ name: ' notebook ', scopes: ['read'], expires: '', symbols: '' })).toEqual({
      name: 'notebook',
      scopes: ['read'],
    });
    expect(
      tokenRequest({
        name: 'eth bot',
        scopes: ['read', 'trade'],
        expires: '2027-01-01T00:00',
        symbols: 'ethusdt, solusdt',
      }),
    ).toEqual({
      name: 'eth bot',
      scopes: ['read', 'trade'],
      expiresAt: new Date('2027-01-01T00:00').getTime(),
      restrict: { symbols: ['ETHUSDT', 'SOLUSDT'] },
    });
  });
});
