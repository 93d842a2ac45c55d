import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AppError, hookRoutes } from '@barfinex/contracts';
import { renderSignedIn } from '../../testing/session';
import { fakeRoutes } from '../webhooks/route-fake';
import { HooksPage } from './HooksPage';

const hook = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  detectorKey: `hook-${name}`,
  secretHint: '…wxyz',
  symbolMap: {},
  connectorType: 'sim',
  marketType: 'futures',
  mode: 'live',
  enabled: true,
  ratePerMinute: 30,
  dedupWindowSeconds: 300,
  replayWindowSeconds: 300,
  url: `/api/hooks/${id}`,
  createdAt: 1_800_000_000_000,
  updatedAt: 1_800_000_000_000,
  ...extra,
});
const alert = (id: string, status: string, code: string | null, reason: string | null) => ({
  id,
  status,
  code,
  reason,
  signalId: status === 'rejected' ? null : `sig-${id}`,
  correlationId: status === 'rejected' ? null : `corr-${id}`,
  body: '{}',
  receivedAt: 1_800_000_000_000,
});

function fakeProvider() {
  const hooks = [hook('hk_tradingview1', 'tradingview')];
  return fakeRoutes(hookRoutes, (name, input) => {
    const i = hooks.findIndex((h) => h.id === input.params?.['hookId']);
    switch (name) {
      case 'listInboundHooks':
        return { items: [...hooks] };
      case 'inboundHookAlerts':
        return {
          data: [
            alert('a2', 'rejected', 'UNMAPPED_SYMBOL', 'NASDAQ:AAPL is not in the symbol map and has no default'),
            alert('a1', 'accepted', null, null),
          ],
          total: 2,
          page: 1,
          limit: 50,
          links: {},
        };
      case 'createInboundHook': {
        const created = hook('hk_scalper0001', String(input.body?.['name']));
        hooks.push(created);
        return {
          ...created,
          secret: 'hook-secret-0123456789',
          urlWithSecret: `${created.url}/hook-secret-0123456789`,
        };
      }
      case 'updateInboundHook':
        hooks[i] = { ...hooks[i], ...input.body } as (typeof hooks)[number];
        return hooks[i];
      default:
        throw new Error(`no answer for ${String(name)}`);
    }
  });
}

const row = async (name: string) => (await screen.findByText(name)).closest('tr') as HTMLElement;

describe('HooksPage', () => {
  const writeText = jest.fn(async () => undefined);
  beforeEach(() => {
    writeText.mockClear();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });

  it('lists hooks and the selected hook’s alerts, rejections with their reason', async () => {
    const api = fakeProvider();
    renderSignedIn(<HooksPage />, { scopes: ['read', 'configure'], client: api.client });
    expect((await row('tradingview')).textContent).toContain('hook-tradingview');
    const alerts = await screen.findByTestId('hook-alerts');
    const rejected = (await within(alerts).findByText(/UNMAPPED_SYMBOL/)).closest('tr') as HTMLElement;
    expect(rejected.dataset['status']).toBe('rejected');
    expect(rejected.textContent).toContain('UNMAPPED_SYMBOL: NASDAQ:AAPL is not in the symbol map and has no default');
    expect(within(alerts).getByText('corr-a1')).toBeTruthy();
    expect(api.callsOf(hookRoutes.inboundHookAlerts)[0]?.params).toEqual({ hookId: 'hk_tradingview1' });
  });

  it('creates a hook, shows the URL with its secret once, and copies it', async () => {
    const api = fakeProvider();
    renderSignedIn(<HooksPage />, { scopes: ['read', 'configure'], client: api.client });
    fireEvent.change(screen.getByLabelText('Hook name'), { target: { value: 'scalper' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    const shown = await screen.findByTestId('hook-url');
    const full = `${window.location.origin}/api/hooks/hk_scalper0001/hook-secret-0123456789`;
    expect(shown.textContent).toContain(full);
    expect(api.callsOf(hookRoutes.createInboundHook)[0]?.body).toEqual({ name: 'scalper' });
    fireEvent.click(within(shown).getByRole('button', { name: 'Copy hook URL' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(full));
    expect(within(shown).getByRole('status').textContent).toContain('copied');
    // The new hook is listed and selected: its alerts are read.
    expect(await row('scalper')).toBeTruthy();
    await waitFor(() =>
      expect(api.callsOf(hookRoutes.inboundHookAlerts).some((c) => c.params?.['hookId'] === 'hk_scalper0001')).toBe(
        true,
      ),
    );
  });

  it('copies a listed hook’s URL without its secret, and says so when the browser refuses', async () => {
    const api = fakeProvider();
    renderSignedIn(<HooksPage />, { scopes: ['read'], client: api.client });
    const tradingview = await row('tradingview');
    fireEvent.click(within(tradingview).getByRole('button', { name: 'Copy URL of tradingview' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/api/hooks/hk_tradingview1`));
    writeText.mockRejectedValueOnce(new Error('denied'));
    fireEvent.click(within(tradingview).getByRole('button', { name: 'Copy URL of tradingview' }));
    await waitFor(() => expect(within(tradingview).getByRole('status').textContent).toContain('refused'));
  });

  it('switches a hook to dry run and disables it', async () => {
    const api = fakeProvider();
    renderSignedIn(<HooksPage />, { scopes: ['read', 'configure'], client: api.client });
    fireEvent.click(within(await row('tradingview')).getByRole('button', { name: 'Dry run tradingview' }));
    await waitFor(async () => expect((await row('tradingview')).textContent).toContain('dry-run'));
    fireEvent.click(within(await row('tradingview')).getByRole('button', { name: 'Disable tradingview' }));
    await waitFor(async () => expect((await row('tradingview')).textContent).toContain('disabled'));
    expect(api.callsOf(hookRoutes.updateInboundHook).map((c) => c.body)).toEqual([
      { mode: 'dry-run' },
      { enabled: false },
    ]);
    expect(within(await row('tradingview')).getByRole('button', { name: 'Enable tradingview' })).toBeTruthy();
  });

  it('shows the API’s refusal of a hook name, and no URL', async () => {
    const api = fakeProvider();
    api.failNext({
      createInboundHook: new AppError('VALIDATION_ERROR', 'invalid request body: name: a hook name is 1-40 lowercase'),
    });
    renderSignedIn(<HooksPage />, { scopes: ['read', 'configure'], client: api.client });
    fireEvent.change(screen.getByLabelText('Hook name'), { target: { value: 'Bad Name' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'VALIDATION_ERROR: invalid request body: name: a hook name is 1-40 lowercase',
    );
    expect(screen.queryByTestId('hook-url')).toBeNull();
  });

  it('disables creating and editing for a read-only token', async () => {
    const api = fakeProvider();
    renderSignedIn(<HooksPage />, { scopes: ['read'], client: api.client });
    const disable = within(await row('tradingview')).getByRole('button', {
      name: 'Disable tradingview',
    }) as HTMLButtonElement;
    expect(disable.disabled).toBe(true);
    expect(disable.title).toBe('needs a token with the "configure" scope');
    expect((screen.getByRole('button', { name: 'Create' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows why the hooks cannot be read', async () => {
    const api = fakeProvider();
    api.failNext({ listInboundHooks: new AppError('UNAVAILABLE', 'database unavailable') });
    renderSignedIn(<HooksPage />, { scopes: ['read'], client: api.client });
    expect((await screen.findByRole('alert')).textContent).toBe('UNAVAILABLE: database unavailable');
  });
});
