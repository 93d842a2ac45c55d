import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { SignInPage } from './SignInPage';

function replyWith(status: number, body: unknown): typeof fetch {
  // jsdom has no fetch: the reply is the part of a Response the SDK reads.
  const reply = { status, headers: { get: () => 'application/json' }, text: async () => JSON.stringify(body) };
  return jest.fn(async () => reply) as unknown as typeof fetch;
}

describe('SignInPage', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
    sessionStorage.clear();
  });

  it('shows why the last session ended', () => {
    sessionStorage.setItem('barfinex.studio.signout', 'The provider refused the token (401): bad token');
    render(<SignInPage onSignedIn={() => undefined} />);
    expect(screen.getByTestId('signout-reason').textContent).toContain('401');
  });

  it('keeps the user on sign-in with the reason when the provider refuses the token', async () => {
    globalThis.fetch = replyWith(401, { error: { code: 'UNAUTHORIZED', message: 'invalid token' } });
    const done = jest.fn();
    render(<SignInPage onSignedIn={done} />);
    fireEvent.change(screen.getByLabelText('API token'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('refused this token: invalid token'));
    expect(done).not.toHaveBeenCalled();
  });

  it('signs in when the token reads the options', async () => {
    globalThis.fetch = replyWith(200, {
      key: 'provider',
      version: '0.1.0',
      isAvailable: true,
      connectors: [],
      accounts: [],
      detectors: [],
      restApiUrl: '/api',
      socketPath: '/ws',
    });
    const done = jest.fn();
    render(<SignInPage onSignedIn={done} />);
    fireEvent.change(screen.getByLabelText('API token'), { target: { value: 'good' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(done).toHaveBeenCalledWith('good'));
  });
});
