import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AppError, notifierRoutes } from '@barfinex/contracts';
import { renderSignedIn } from '../../testing/session';
import { fakeRoutes } from '../webhooks/route-fake';
import { TelegramPage } from './TelegramPage';

const chat = (chatId: string, extra: Record<string, unknown> = {}) => ({
  chatId,
  title: null,
  language: 'en',
  events: ['signal', 'risk'],
  symbols: [],
  quietHours: null,
  digestMinutes: null,
  timeZone: 'UTC',
  authorised: false,
  enabled: true,
  ...extra,
});

/** The notifier's Telegram API as the page sees it through the SDK: chats kept here, calls recorded. */
function fakeNotifier(opts: { botOn?: boolean } = {}) {
  const chats = [
    chat('-1001', {
      title: 'desk',
      quietHours: { from: 1320, to: 420 },
      timeZone: 'Europe/Berlin',
      authorised: true,
      digestMinutes: 60,
    }),
  ];
  return fakeRoutes(notifierRoutes, (name, input) => {
    switch (name) {
      case 'telegram':
        return { enabled: opts.botOn ?? true, commands: true, selectable: ['signal', 'risk'], chats: chats.length };
      case 'listTelegramChats':
        return { items: [...chats] };
      case 'putTelegramChat': {
        const chatId = input.params?.['chatId'] ?? '';
        const b = input.body ?? {};
        const toMinutes = (hm: unknown) => Number(String(hm).slice(0, 2)) * 60 + Number(String(hm).slice(3));
        const q = b['quietHours'] as { from: string; to: string } | null;
        const saved = chat(chatId, {
          ...b,
          title: b['title'] ?? null,
          quietHours: q ? { from: toMinutes(q.from), to: toMinutes(q.to) } : null,
        });
        const i = chats.findIndex((c) => c.chatId === chatId);
        if (i >= 0) chats[i] = saved as (typeof chats)[number];
        else chats.push(saved as (typeof chats)[number]);
        return saved;
      }
      case 'testTelegramChat':
        return { sent: true };
      default:
        throw new Error(`no answer for ${String(name)}`);
    }
  });
}

const row = async (text: string) => (await screen.findByText(text)).closest('tr') as HTMLElement;
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('TelegramPage', () => {
  it('lists chats with their quiet hours in their own time zone', async () => {
    const api = fakeNotifier();
    renderSignedIn(<TelegramPage />, { scopes: ['read', 'configure'], client: api.client });
    const desk = await row('desk (-1001)');
    expect(desk.textContent).toContain('22:00–07:00 Europe/Berlin');
    expect(desk.textContent).toContain('every 60 min');
    expect(desk.textContent).toContain('authorised');
    expect((await screen.findByText(/bot on/)).textContent).toBe('bot on · commands on');
  });

  it('adds a chat with its time zone, quiet hours and digest', async () => {
    const api = fakeNotifier();
    renderSignedIn(<TelegramPage />, { scopes: ['read', 'configure'], client: api.client });
    type('Chat id', '555');
    type('Title', 'me');
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'ru' } });
    type('Events', 'PROVIDER_ORDER_FILL, risk');
    type('Quiet from', '23:00');
    type('Quiet to', '06:30');
    type('Time zone', 'America/New_York');
    type('Digest minutes', '15');
    fireEvent.click(screen.getByRole('button', { name: 'Save chat' }));
    await waitFor(() => expect(api.callsOf(notifierRoutes.putTelegramChat)).toHaveLength(1));
    expect(api.callsOf(notifierRoutes.putTelegramChat)[0]).toMatchObject({
      params: { appKey: 'notifier', chatId: '555' },
      body: {
        title: 'me',
        language: 'ru',
        events: ['PROVIDER_ORDER_FILL', 'risk'],
        quietHours: { from: '23:00', to: '06:30' },
        timeZone: 'America/New_York',
        digestMinutes: 15,
        authorised: false,
        enabled: true,
      },
    });
    expect((await row('me (555)')).textContent).toContain('23:00–06:30 America/New_York');
    expect((screen.getByLabelText('Chat id') as HTMLInputElement).value).toBe('');
  });

  it('edits a chat in place: its settings fill the form, a new zone and disabling are saved', async () => {
    const api = fakeNotifier();
    renderSignedIn(<TelegramPage />, { scopes: ['read', 'configure'], client: api.client });
    fireEvent.click(await row('desk (-1001)'));
    expect((screen.getByLabelText('Time zone') as HTMLInputElement).value).toBe('Europe/Berlin');
    expect((screen.getByLabelText('Quiet from') as HTMLInputElement).value).toBe('22:00');
    type('Time zone', 'Asia/Tokyo');
    fireEvent.click(screen.getByLabelText(/sends messages/));
    fireEvent.click(screen.getByRole('button', { name: 'Save chat' }));
    await waitFor(() => expect(api.callsOf(notifierRoutes.putTelegramChat)).toHaveLength(1));
    expect(api.callsOf(notifierRoutes.putTelegramChat)[0]?.body).toMatchObject({
      title: 'desk',
      quietHours: { from: '22:00', to: '07:00' },
      timeZone: 'Asia/Tokyo',
      digestMinutes: 60,
      authorised: true,
      enabled: false,
    });
    await waitFor(async () => expect((await row('desk (-1001)')).textContent).toContain('Asia/Tokyo'));
    expect((await row('desk (-1001)')).textContent).toContain('off');
  });

  it('shows the notifier’s refusal of a time zone beside the form', async () => {
    const api = fakeNotifier();
    renderSignedIn(<TelegramPage />, { scopes: ['read', 'configure'], client: api.client });
    const message = 'an IANA time zone name such as Europe/Berlin or UTC';
    api.failNext({
      putTelegramChat: new AppError('VALIDATION_ERROR', `invalid request body: timeZone: ${message}`, {
        details: {
          upstream: { status: 400, error: { details: { where: 'body', issues: [{ path: 'timeZone', message }] } } },
        },
      }),
    });
    type('Chat id', '556');
    type('Time zone', 'Mars/Olympus');
    fireEvent.click(screen.getByRole('button', { name: 'Save chat' }));
    expect((await screen.findByRole('alert')).textContent).toBe(`timeZone: ${message}`);
    expect((screen.getByLabelText('Time zone') as HTMLInputElement).value).toBe('Mars/Olympus');
  });

  it('sends a test message to a chat', async () => {
    const api = fakeNotifier();
    renderSignedIn(<TelegramPage />, { scopes: ['read', 'configure'], client: api.client });
    const test = within(await row('desk (-1001)')).getByRole('button', { name: 'Test -1001' }) as HTMLButtonElement;
    await waitFor(() => expect(test.disabled).toBe(false));
    fireEvent.click(test);
    expect((await screen.findByRole('status')).textContent).toBe('Test message sent to -1001.');
    expect(api.callsOf(notifierRoutes.testTelegramChat)[0]?.params).toEqual({ appKey: 'notifier', chatId: '-1001' });
  });

  it('says the bot is off and offers no test message then', async () => {
    const api = fakeNotifier({ botOn: false });
    renderSignedIn(<TelegramPage />, { scopes: ['read', 'configure'], client: api.client });
    expect(await screen.findByText('off: set TELEGRAM_BOT_TOKEN for the notifier')).toBeTruthy();
    const test = within(await row('desk (-1001)')).getByRole('button', { name: 'Test -1001' }) as HTMLButtonElement;
    expect(test.disabled).toBe(true);
  });

  it('shows the API’s error, and a read-only token cannot save', async () => {
    const api = fakeNotifier();
    api.failNext({ listTelegramChats: new AppError('BAD_GATEWAY', 'notifier did not answer') });
    renderSignedIn(<TelegramPage />, { scopes: ['read'], client: api.client });
    expect((await screen.findByRole('alert')).textContent).toBe('BAD_GATEWAY: notifier did not answer');
    type('Chat id', '1');
    const save = screen.getByRole('button', { name: 'Save chat' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(save.title).toBe('needs a token with the "configure" scope');
  });
});
