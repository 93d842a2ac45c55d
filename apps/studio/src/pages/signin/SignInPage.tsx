import { useState } from 'react';
import type { FormEvent } from 'react';
import { isAppError } from '@barfinex/contracts';
import { makeClient, takeSignOutReason } from '../../app/session';

/**
 * The provider token, pasted once: checked with one read (GET /api/options), then kept in this
 * tab's session storage and sent as a header and in the socket handshake, never in a URL.
 */
export function SignInPage({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [reason] = useState(takeSignOutReason);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Paste the provider token (data/api-token, or PROVIDER_API_TOKEN).');
      return;
    }
    setBusy(true);
    setError(null);
    const client = makeClient(value);
    try {
      await client.options();
      onSignedIn(value);
    } catch (err) {
      setError(
        isAppError(err) && err.status === 401
          ? `The provider refused this token: ${err.message}`
          : `Could not reach the provider: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      client.close();
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Barfinex Studio</h1>
        <p className="muted">
          Sign in with the provider's API token: <code>npm start</code> prints it and keeps it in{' '}
          <code>data/api-token</code>. It stays in this tab only.
        </p>
        {reason ? (
          <p className="notice" role="status" data-testid="signout-reason">
            {reason}
          </p>
        ) : null}
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          autoFocus
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'token-error' : undefined}
        />
        {error ? (
          <p className="field-error" id="token-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}

export default SignInPage;
