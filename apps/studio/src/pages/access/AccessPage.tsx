import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_SCOPE_VALUES, SCOPE_DESCRIPTIONS, authRoutes } from '@barfinex/contracts';
import type { ApiScope, TokenView } from '@barfinex/contracts';
import { needsScope, useCan, useWhoAmI } from '../../app/access';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { errorText, fieldErrors } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { tokenRequest } from './token-form';
import type { TokenFormState } from './token-form';

const EMPTY: TokenFormState = { name: '', scopes: ['read'], expires: '', symbols: '' };

/** The secret of a token just created: shown once, with a copy button; the provider keeps only its digest. */
function Secret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="card stack" role="status" data-testid="token-secret">
      <p>Copy this token now: it is not shown again.</p>
      <code className="mono">{secret}</code>
      <div className="row">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="ghost" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function CreateToken({ onCreated }: { onCreated: (secret: string) => void }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<TokenFormState>(EMPTY);
  const create = useMutation({
    mutationFn: () => client.request(authRoutes.createToken, { body: tokenRequest(form) }),
    onSuccess: (created) => {
      setForm(EMPTY);
      onCreated(created.secret);
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const { fields, general } = fieldErrors(create.error);
  const toggle = (scope: ApiScope, on: boolean) =>
    setForm((f) => ({ ...f, scopes: on ? [...f.scopes, scope] : f.scopes.filter((s) => s !== scope) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card stack" onSubmit={submit} aria-label="Create a token">
      <h2>New token</h2>
      <div className="field">
        <label htmlFor="token-name">Name</label>
        <input
          id="token-name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          required
          maxLength={100}
        />
        {fields['name'] ? <p className="field-error">{fields['name']}</p> : null}
      </div>
      <fieldset className="field">
        <legend>Scopes</legend>
        {API_SCOPE_VALUES.map((scope) => (
          <label key={scope} className="row" title={SCOPE_DESCRIPTIONS[scope]}>
            <input
              type="checkbox"
              checked={form.scopes.includes(scope)}
              onChange={(e) => toggle(scope, e.target.checked)}
            />{' '}
            {scope} <span className="muted">{SCOPE_DESCRIPTIONS[scope]}</span>
          </label>
        ))}
        {fields['scopes'] ? <p className="field-error">{fields['scopes']}</p> : null}
      </fieldset>
      <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))' }}>
        <div className="field">
          <label htmlFor="token-expires">Expires (optional)</label>
          <input
            id="token-expires"
            type="datetime-local"
            value={form.expires}
            onChange={(e) => setForm({ ...form, expires: e.target.value })}
          />
          {fields['expiresAt'] ? <p className="field-error">{fields['expiresAt']}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="token-symbols">Only these symbols (optional)</label>
          <input
            id="token-symbols"
            placeholder="BTCUSDT, ETHUSDT"
            value={form.symbols}
            onChange={(e) => setForm({ ...form, symbols: e.target.value })}
          />
        </div>
      </div>
      {general ? (
        <p className="field-error" role="alert">
          {general}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" disabled={create.isPending || form.scopes.length === 0}>
          Create token
        </button>
      </div>
    </form>
  );
}

function TokenRow({ token }: { token: TokenView }) {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => client.request(authRoutes.revokeToken, { params: { id: token.id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const at = (ms: number | null) => (ms === null ? '' : formatTime(ms, timeZone));
  return (
    <tr data-revoked={token.revokedAt !== null}>
      <td>{token.name}</td>
      <td className="mono">{token.scopes.join(', ')}</td>
      <td className="mono muted">{token.restrict?.symbols?.join(', ') ?? ''}</td>
      <td className="mono muted">{at(token.createdAt)}</td>
      <td className="mono muted">{at(token.expiresAt)}</td>
      <td className="mono muted">{at(token.lastUsedAt)}</td>
      <td>
        {token.revokedAt !== null ? (
          <span className="muted">revoked {at(token.revokedAt)}</span>
        ) : (
          <button type="button" className="ghost" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
            Revoke
          </button>
        )}
        {revoke.error ? <span className="field-error">{errorText(revoke.error)}</span> : null}
      </td>
    </tr>
  );
}

/** Tokens: who this session is, and (for an admin) every token: create with scopes, copy once, revoke. */
export function AccessPage() {
  const { client } = useSession();
  const who = useWhoAmI();
  const admin = useCan('admin');
  const [secret, setSecret] = useState<string | null>(null);
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => client.request(authRoutes.listTokens, {}),
    enabled: admin,
  });
  return (
    <div className="stack">
      <section className="card" aria-labelledby="whoami-title">
        <h2 id="whoami-title">This session</h2>
        {who ? (
          <p data-testid="whoami">
            {who.name} ({who.tokenId}): <span className="mono">{who.effectiveScopes.join(', ')}</span>
            {who.restrict?.symbols ? <span className="muted"> · only {who.restrict.symbols.join(', ')}</span> : null}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      {!admin ? <p className="muted">{`Managing tokens ${needsScope('admin')}.`}</p> : null}
      {admin && secret ? <Secret secret={secret} onDone={() => setSecret(null)} /> : null}
      {admin ? <CreateToken onCreated={setSecret} /> : null}
      {admin ? (
        <section className="card" aria-labelledby="tokens-title">
          <h2 id="tokens-title">Tokens</h2>
          {tokens.error ? <p className="error-box">{errorText(tokens.error)}</p> : null}
          {tokens.data?.length === 0 ? <p className="muted">No named token yet.</p> : null}
          <table data-testid="tokens">
            <thead>
              <tr>
                <th>Name</th>
                <th>Scopes</th>
                <th>Symbols</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(tokens.data ?? []).map((t) => (
                <TokenRow key={t.id} token={t} />
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

export default AccessPage;
