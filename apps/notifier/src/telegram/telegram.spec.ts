import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES } from '@barfinex/events';
import { createProviderClient } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';
import { eventually } from '@barfinex/testing';
import { createNotifierApp } from '../app';
import type { NotifierApp } from '../app';
import { loadNotifierConfig } from '../config';
import { startFakeBotApi } from '../testing/fake-bot-api';
import type { FakeBotApi } from '../testing/fake-bot-api';
import { startFakeProvider } from '../testing/fake-provider';
import type { FakeProvider } from '../testing/fake-provider';

const TOKEN = 'notifier-telegram-spec';
const DESK = -1001;
const STRANGER = 777;
const RU = 555;

describe('Telegram (fake Bot API on 127.0.0.1, memory bus, PGlite)', () => {
  let db: Database;
  let bus: MemoryBus;
  let bot: FakeBotApi;
  let provider: FakeProvider;
  let notifier: NotifierApp;
  let url: string;
  let clock = Date.UTC(2026, 11, 6, 12, 0);
  const put = async (chatId: number, body: unknown) =>
    fetch(`${url}/telegram/chats/${chatId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const sentTo = (chatId: number) => bot.sent.filter((m) => Number(m.chat_id) === chatId).map((m) => m.text);
  /** The chat's queue as the API shows it (newest first). */
  const queued = async (chatId: number) =>
    (
      (await (
        await fetch(`${url}/telegram/chats/${chatId}/messages?limit=20`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).json()) as { data: { status: string; eventName: string }[] }
    ).data.filter((m) => m.status === 'pending');

  beforeAll(async () => {
    db = await createTestPglite();
    bus = createMemoryBus();
    bot = await startFakeBotApi();
    provider = await startFakeProvider();
    const config = loadNotifierConfig({
      NOTIFIER_PORT: '0',
      NOTIFIER_HOST: '127.0.0.1',
      NOTIFIER_API_TOKEN: TOKEN,
      NOTIFIER_POLL_MS: '3600000',
      PROVIDER_URL: provider.url,
      PROVIDER_API_TOKEN: 'provider-token',
      PROVIDER_TIMEOUT_MS: '2000',
      TELEGRAM_BOT_TOKEN: bot.token,
      TELEGRAM_API_BASE: bot.baseUrl,
      TELEGRAM_POLL_TIMEOUT_S: '1',
    });
    notifier = await createNotifierApp({
      config,
      logger: createLogger({ name: 'notifier', level: 'silent' }),
      bus,
      db,
      provider: createProviderClient({ baseUrl: provider.url, timeoutMs: 500 }),
      now: () => clock,
    });
    ({ url } = await notifier.start());
  });
  afterAll(async () => {
    await notifier.stop();
    await bot.close();
    await provider.close();
    await bus.close();
    await db.close();
  });

  it('configures chats over REST and refuses bad settings', async () => {
    expect((await put(DESK, { events: ['signal', 'PROVIDER_ORDER_FILL', 'risk'], authorised: true })).status).toBe(201);
    expect(
      (
        await put(RU, {
          language: 'ru',
          events: ['signal', 'PROVIDER_ORDER_FILL', 'risk'],
          quietHours: { from: '22:00', to: '07:00' },
        })
      ).status,
    ).toBe(201);
    const bad = await put(STRANGER, { events: ['PROVIDER_MARKETDATA_TRADE'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    expect((await put(STRANGER, { events: ['risk'], quietHours: { from: '25:00', to: '07:00' } })).status).toBe(400);
  });

  it('sends a signal, a fill and a kill-switch trip formatted for humans, in the chat language', async () => {
    await bus.publish('DETECTOR_SIGNAL_GENERATED', EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED);
    await bus.publish('PROVIDER_ORDER_FILL', EVENT_EXAMPLES.PROVIDER_ORDER_FILL);
    await bus.publish('INSPECTOR_RISK_KILL_SWITCH', EVENT_EXAMPLES.INSPECTOR_RISK_KILL_SWITCH);
    await eventually(() => expect(sentTo(DESK)).toHaveLength(3));
    const [signal, fill, kill] = sentTo(DESK);
    expect(signal).toMatch(/^📈 Signal LONG BTCUSDT @ 65000/);
    expect(signal).toContain('confidence 72%');
    expect(fill).toMatch(/^✅ Filled BUY 0\.01 BTCUSDT @ 65000\.5/);
    expect(kill).toBe('🛑 Kill switch ON — no new entries. Reason: daily loss limit reached');
    // Quiet hours do not hold back a kill switch.
    clock = Date.UTC(2026, 11, 6, 23, 0);
    await bus.publish('INSPECTOR_RISK_KILL_SWITCH', EVENT_EXAMPLES.INSPECTOR_RISK_KILL_SWITCH);
    await eventually(() => expect(sentTo(RU).filter((t) => t.startsWith('🛑 Аварийный стоп ВКЛЮЧЁН'))).toHaveLength(2));
  });

  it('holds other events through quiet hours and sends them after, in order', async () => {
    const before = sentTo(RU).length;
    await bus.publish('PROVIDER_ORDER_FILL', { ...EVENT_EXAMPLES.PROVIDER_ORDER_FILL, fillId: 'night-fill' });
    await eventually(async () => expect(await queued(RU)).toHaveLength(1));
    await notifier.telegram.tick();
    expect(sentTo(RU).length).toBe(before);
    clock = Date.UTC(2026, 11, 7, 7, 1);
    await notifier.telegram.tick();
    expect(sentTo(RU).slice(before)).toEqual([expect.stringMatching(/^✅ Исполнено ПОКУПКА 0\.01 BTCUSDT/)]);
  });

  it('groups a digest chat into one message', async () => {
    expect((await put(42, { events: ['PROVIDER_ORDER_FILL'], digestMinutes: 60 })).status).toBe(201);
    clock = Date.UTC(2026, 11, 7, 9, 10);
    for (let i = 0; i < 3; i++)
      await bus.publish('PROVIDER_ORDER_FILL', { ...EVENT_EXAMPLES.PROVIDER_ORDER_FILL, fillId: `d-${i}` });
    await eventually(async () => expect(await queued(42)).toHaveLength(3));
    await notifier.telegram.tick();
    expect(sentTo(42)).toEqual([]);
    clock = Date.UTC(2026, 11, 7, 10, 0);
    await notifier.telegram.tick();
    expect(sentTo(42)).toHaveLength(1);
    expect(sentTo(42)[0]).toMatch(/^Digest: 3 events\n\n✅ Filled/);
  });

  it('retries a message Telegram refused with retry_after', async () => {
    clock = Date.UTC(2026, 11, 7, 12, 0);
    bot.failNext(1, { error_code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 });
    const before = sentTo(DESK).length;
    await bus.publish('INSPECTOR_RISK_LIMIT_BREACH', EVENT_EXAMPLES.INSPECTOR_RISK_LIMIT_BREACH);
    const log = async () =>
      (
        (await (
          await fetch(`${url}/telegram/chats/${DESK}/messages?limit=1`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          })
        ).json()) as { data: Record<string, unknown>[] }
      ).data[0];
    await eventually(async () =>
      expect(await log()).toMatchObject({ attempts: 1, lastError: expect.stringContaining('Too Many Requests') }),
    );
    expect(sentTo(DESK).length).toBe(before);
    expect((await log())?.nextAttemptAt).toBe(clock + 3_000);
    clock += 3_000;
    await notifier.telegram.tick();
    expect(sentTo(DESK).slice(before)).toEqual([
      expect.stringMatching(/^⚠️ Risk limit maxPositionSizePercent BTCUSDT 25 \/ 20/),
    ]);
  });

  it('refuses commands from a chat that is not authorised', async () => {
    bot.pushMessage(STRANGER, '/killswitch because');
    await eventually(() => expect(sentTo(STRANGER).some((t) => t.includes('may not send commands'))).toBe(true));
    expect(provider.calls.some((c) => c.path.includes('kill-switch'))).toBe(false);
    expect(provider.killSwitch.active).toBe(false);
  });

  it('trips the inspector kill switch from an authorised chat after confirmation, and resumes it the same way', async () => {
    bot.pushMessage(DESK, '/killswitch too volatile');
    await eventually(() => expect(bot.sent.at(-1)?.reply_markup).toBeDefined());
    expect(provider.killSwitch.active).toBe(false);
    const confirm = bot.sent.at(-1)?.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? '';
    expect(confirm).toMatch(/^ok:/);
    bot.pushCallback(DESK, confirm, 'desk-lead');
    await eventually(() => expect(provider.killSwitch.active).toBe(true));
    expect(provider.killSwitch).toMatchObject({ reason: 'too volatile', actor: `telegram:${DESK}:desk-lead` });
    await eventually(() => expect(bot.answered.at(-1)?.text).toBe('🛑 Kill switch is ON.'));
    // A confirmation is used once.
    bot.pushCallback(DESK, confirm);
    await eventually(() => expect(bot.answered.at(-1)?.text).toMatch(/expired/));

    bot.pushMessage(DESK, '/resume');
    await eventually(() => expect(bot.sent.at(-1)?.text).toMatch(/Reset the kill switch/));
    bot.pushCallback(DESK, bot.sent.at(-1)?.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? '');
    await eventually(() => expect(provider.killSwitch.active).toBe(false));
  });

  it('keeps quiet hours on the chat clock: a New York night is not the UTC night', async () => {
    const bad = await put(43, { events: ['PROVIDER_ORDER_FILL'], timeZone: 'America/Gotham' });
    expect(bad.status).toBe(400);
    const refusal = ((await bad.json()) as { error: { code: string; message: string } }).error;
    expect(refusal.code).toBe('VALIDATION_ERROR');
    expect(refusal.message).toContain('timeZone');
    expect((await put(43, { events: ['PROVIDER_ORDER_FILL'], timeZone: '+05:00' })).status).toBe(400);
    const created = await put(43, {
      events: ['PROVIDER_ORDER_FILL'],
      quietHours: { from: '22:00', to: '07:00' },
      timeZone: 'America/New_York',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ timeZone: 'America/New_York', quietHours: { from: 1320, to: 420 } });
    // 08:00 UTC is 03:00 in New York (EST): held, though outside 22:00-07:00 by the UTC clock.
    clock = Date.UTC(2026, 11, 8, 8, 0);
    await bus.publish('PROVIDER_ORDER_FILL', { ...EVENT_EXAMPLES.PROVIDER_ORDER_FILL, fillId: 'ny-night' });
    await eventually(async () => expect(await queued(43)).toHaveLength(1));
    clock = Date.UTC(2026, 11, 8, 11, 59);
    await notifier.telegram.tick();
    expect(sentTo(43)).toEqual([]);
    // 07:00 EST is 12:00 UTC.
    clock = Date.UTC(2026, 11, 8, 12, 0);
    await notifier.telegram.tick();
    expect(sentTo(43)).toEqual([expect.stringMatching(/^✅ Filled BUY 0\.01 BTCUSDT/)]);
  });
});
