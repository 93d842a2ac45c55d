import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AppError, notifierRoutes } from '@barfinex/contracts';
import { renderSignedIn } from '../../testing/session';
import { fakeRoutes } from './route-fake';
import { WebhooksPage } from './WebhooksPage';

const subscription = (id: string, url: string, extra: Record<string, unknown> = {}) => ({
  id,
  url,
  events: ['order'],
  symbols: [],
  enabled: true,
  paused: false,
  pausedReason: null,
  consecutiveFailures: 0,
  secretHint: '…abcd',
  description: null,
  createdAt: 1_800_000_000_000,
  ...extra,
});
const delivery = (id: string, status: 'pending' | 'delivered' | 'failed', extra: Record<string, unknown> = {}) => ({
  id,
  eventId: `evt-${id}`,
  eventName: 'PROVIDER_ORDER_FILL',
  status,
  attempts: 1,
  responseCode: status === 'delivered' ? 204 : 503,
  latencyMs: 12,
  lastError: status === 'failed' ? 'HTTP 503: receiver trouble' : null,
  nextRetryAt: status === 'pending' ? 1_800_000_060_000 : null,
  createdAt: 1_800_000_000_000,
  deliveredAt: null,
  ...extra,
});
const validation = (path: string, message: string) =>
  new AppError('VALIDATION_ERROR', `invalid request body: ${path}: ${message}`, {
    details: { upstream: { status: 400, error: { details: { where: 'body', issues: [{ path, message }] } } } },
  });

/** The notifier as the page sees it through the SDK: subscriptions and a delivery log kept here, calls recorded. */
function fakeNotifier() {
  const items = [
    subscription('wh_1', 'https://desk.example/hook'),
    subscription('wh_2', 'https://down.example/hook', { paused: true, pausedReason: 'delivery failed for 25 h' }),
  ];
  return fakeRoutes(notifierRoutes, (name, input) => {
    const id = input.params?.['id'] ?? '';
    switch (name) {
      case 'listWebhooks':
        return { items: [...items] };
      case 'webhookDeliveries':
        return {
          data: [delivery('dlv_b', 'failed'), delivery('dlv_a', 'delivered')],
          total: 2,
          page: 1,
          limit: 50,
          links: {},
        };
      case 'createWebhook': {
        const created = subscription('wh_3', String(input.body?.['url']), { events: input.body?.['events'] });
        items.push(created);
        return { ...created, secret: 'generated-secret-0123456789' };
      }
      case 'updateWebhook': {
        const i = items.findIndex((w) => w.id === id);
        items[i] = { ...items[i], ...input.body } as (typeof items)[number];
        return items[i];
      }
      case 'testWebhook':
        return { delivered: true, responseCode: 204, latencyMs: 7, error: null };
      case 'resumeWebhook': {
        const i = items.findIndex((w) => w.id === id);
        items[i] = { ...items[i], paused: false, pausedReason: null } as (typeof items)[number];
        return items[i];
      }
      case 'redeliverWebhook':
        return delivery(input.params?.['deliveryId'] ?? '', 'pending');
      default:
        throw new Error(`no answer for ${String(name)}`);
    }
  });
}

const row = async (url: string) => (await screen.findByText(url)).closest('tr') as HTMLElement;

describe('WebhooksPage', () => {
  it('lists subscriptions with their state and shows the first one’s delivery log', async () => {
    const api = fakeNotifier();
    renderSignedIn(<WebhooksPage />, { scopes: ['read', 'configure'], client: api.client });
    expect((await row('https://desk.example/hook')).textContent).toContain('active');
    expect((await row('https://down.example/hook')).textContent).toContain('paused: delivery failed for 25 h');
    const log = await screen.findByTestId('webhook-deliveries');
    await waitFor(() => expect(within(log).getAllByRole('row')).toHaveLength(3));
    expect(within(log).getByText('HTTP 503: receiver trouble')).toBeTruthy();
    expect(api.callsOf(notifierRoutes.webhookDeliveries)[0]?.params).toMatchObject({ appKey: 'notifier', id: 'wh_1' });
  });

  it('creates a subscription and shows its secret once', async () => {
    const api = fakeNotifier();
    renderSignedIn(<WebhooksPage />, { scopes: ['read', 'configure'], client: api.client });
    fireEvent.change(screen.getByLabelText('Webhook URL'), { target: { value: ' https://new.example/in ' } });
    fireEvent.change(screen.getByLabelText('Webhook events'), {
      target: { value: 'order, INSPECTOR_RISK_KILL_SWITCH' },
    });
    fireEvent.change(screen.getByLabelText('Webhook symbols'), { target: { value: 'BTCUSDT, ETHUSDT' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create webhook' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toContain('generated-secret-0123456789');
    expect(api.callsOf(notifierRoutes.createWebhook)[0]?.body).toEqual({
      url: 'https://new.example/in',
      events: ['order', 'INSPECTOR_RISK_KILL_SWITCH'],
      symbols: ['BTCUSDT', 'ETHUSDT'],
    });
    expect(await row('https://new.example/in')).toBeTruthy();
    expect((screen.getByLabelText('Webhook URL') as HTMLInputElement).value).toBe('');
  });

  it('shows a refused URL beside the field and an allow-list refusal as the error', async () => {
    const api = fakeNotifier();
    renderSignedIn(<WebhooksPage />, { scopes: ['read', 'configure'], client: api.client });
    api.failNext({ createWebhook: validation('url', 'webhook url "nope" is not a URL') });
    fireEvent.change(screen.getByLabelText('Webhook URL'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create webhook' }));
    expect((await screen.findByRole('alert')).textContent).toBe('webhook url "nope" is not a URL');
    api.failNext({
      createWebhook: new AppError('FORBIDDEN', 'evil.example is not among NOTIFIER_WEBHOOK_ALLOWED_HOSTS'),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create webhook' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'FORBIDDEN: evil.example is not among NOTIFIER_WEBHOOK_ALLOWED_HOSTS',
      ),
    );
  });

  it('edits a subscription in the form and disables it from its row', async () => {
    const api = fakeNotifier();
    renderSignedIn(<WebhooksPage />, { scopes: ['read', 'configure'], client: api.client });
    fireEvent.click(within(await row('https://desk.example/hook')).getByRole('button', { name: /^Edit/ }));
    expect((screen.getByLabelText('Webhook URL') as HTMLInputElement).value).toBe('https://desk.example/hook');
    fireEvent.change(screen.getByLabelText('Webhook events'), { target: { value: 'order, risk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save webhook' }));
    await waitFor(() => expect(api.callsOf(notifierRoutes.updateWebhook)).toHaveLength(1));
    expect(api.callsOf(notifierRoutes.updateWebhook)[0]).toMatchObject({
      params: { id: 'wh_1' },
      body: { url: 'https://desk.example/hook', events: ['order', 'risk'], symbols: [], description: null },
    });
    expect(await screen.findByRole('button', { name: 'Create webhook' })).toBeTruthy();

    fireEvent.click(within(await row('https://desk.example/hook')).getByRole('button', { name: /^Disable/ }));
    await waitFor(async () => expect((await row('https://desk.example/hook')).textContent).toContain('disabled'));
    expect(api.callsOf(notifierRoutes.updateWebhook)[1]).toMatchObject({
      params: { id: 'wh_1' },
      body: { enabled: false },
    });
    expect(within(await row('https://desk.example/hook')).getByRole('button', { name: /^Enable/ })).toBeTruthy();
  });

  it('pings a subscription, resumes a paused one, and redelivers a failed delivery', async () => {
    const api = fakeNotifier();
    renderSignedIn(<WebhooksPage />, { scopes: ['read', 'configure'], client: api.client });
    fireEvent.click(within(await row('https://desk.example/hook')).getByRole('button', { name: /^Test/ }));
    await waitFor(async () =>
      expect((await row('https://desk.example/hook')).textContent).toContain('ping delivered: 204 in 7 ms'),
    );
    fireEvent.click(within(await row('https://down.example/hook')).getByRole('button', { name: /^Resume/ }));
    await waitFor(async () => expect((await row('https://down.example/hook')).textContent).toContain('active'));
    const log = await screen.findByTestId('webhook-deliveries');
    fireEvent.click(await within(log).findByRole('button', { name: 'Redeliver dlv_b' }));
    await waitFor(() => expect(api.callsOf(notifierRoutes.redeliverWebhook)).toHaveLength(1));
    expect(api.callsOf(notifierRoutes.redeliverWebhook)[0]?.params).toEqual({
      appKey: 'notifier',
      id: 'wh_1',
      deliveryId: 'dlv_b',
    });
  });

  it('shows the API’s error when the notifier is not there, and write controls need configure', async () => {
    const api = fakeNotifier();
    api.failNext({ listWebhooks: new AppError('NOT_FOUND', 'no app "notifier" is registered') });
    renderSignedIn(<WebhooksPage />, { scopes: ['read'], client: api.client });
    expect((await screen.findByRole('alert')).textContent).toBe('NOT_FOUND: no app "notifier" is registered');
    const create = screen.getByRole('button', { name: 'Create webhook' }) as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    expect(create.title).toBe('needs a token with the "configure" scope');
  });
});
