// A stand-in for the Telegram Bot API on 127.0.0.1, written from https://core.telegram.org/bots/api:
// "Making requests" (POST /bot<token>/<method>, JSON in, {"ok":true,"result":…} or
// {"ok":false,"error_code","description"} out), "getUpdates" (updates with update_id >= offset;
// long polling waits up to `timeout` seconds for one), "sendMessage" (returns the sent Message),
// "answerCallbackQuery" (returns true). Tests push updates and read what the bot sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  chat_id: string | number;
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

export interface FakeBotApi {
  baseUrl: string;
  token: string;
  sent: SentMessage[];
  answered: { callback_query_id: string; text?: string }[];
  /** The next sendMessage calls fail with this error (e.g. 429 with retry_after, or 500). */
  failNext(count: number, error: { error_code: number; description: string; retry_after?: number }): void;
  pushMessage(chatId: number, text: string, from?: string): void;
  pushCallback(chatId: number, data: string, from?: string): void;
  close(): Promise<void>;
}

export async function startFakeBotApi(token = '123456:TEST-token'): Promise<FakeBotApi> {
  const updates: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  const sent: SentMessage[] = [];
  const answered: { callback_query_id: string; text?: string }[] = [];
  let failures: { left: number; error: { error_code: number; description: string; retry_after?: number } } | undefined;
  let nextUpdateId = 1;
  let nextMessageId = 1;

  const push = (update: Record<string, unknown>) => {
    updates.push({ update_id: nextUpdateId++, ...update });
    for (const w of waiters) w();
  };
  const chat = (id: number) => ({ id, type: id < 0 ? 'group' : 'private', title: `chat ${id}` });
  const user = (name: string) => ({ id: 42, is_bot: false, first_name: name, username: name });

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!match || match[1] !== token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const params = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      switch (match[2]) {
        case 'sendMessage': {
          if (failures && failures.left > 0) {
            failures.left -= 1;
            const { retry_after, ...e } = failures.error;
            return reply(e.error_code, {
              ok: false,
              ...e,
              ...(retry_after !== undefined ? { parameters: { retry_after } } : {}),
            });
          }
          if (typeof params['text'] !== 'string' || params['text'].length === 0 || params['text'].length > 4096)
            return reply(400, {
              ok: false,
              error_code: 400,
              description: 'Bad Request: message text is empty or too long',
            });
          sent.push(params as unknown as SentMessage);
          return reply(200, {
            ok: true,
            result: {
              message_id: nextMessageId++,
              date: Math.floor(Date.now() / 1000),
              chat: chat(Number(params['chat_id'])),
              text: params['text'],
            },
          });
        }
        case 'answerCallbackQuery':
          answered.push(params as { callback_query_id: string; text?: string });
          return reply(200, { ok: true, result: true });
        case 'getUpdates': {
          const offset = typeof params['offset'] === 'number' ? params['offset'] : 0;
          const pending = () => updates.filter((u) => (u['update_id'] as number) >= offset);
          const timeoutS = typeof params['timeout'] === 'number' ? params['timeout'] : 0;
          const answer = () => reply(200, { ok: true, result: pending() });
          if (pending().length > 0 || timeoutS === 0) return answer();
          const done = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            if (!res.writableEnded) answer();
          };
          const wake = () => done();
          waiters.add(wake);
          const timer = setTimeout(done, timeoutS * 1000);
          req.socket.on('close', () => {
            waiters.delete(wake);
            clearTimeout(timer);
          });
          return undefined;
        }
        default:
          return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    token,
    sent,
    answered,
    failNext(count, error) {
      failures = { left: count, error };
    },
    pushMessage(chatId, text, from = 'trader') {
      push({
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: chat(chatId),
          from: user(from),
          text,
        },
      });
    },
    pushCallback(chatId, data, from = 'trader') {
      const message = [...sent].reverse().find((m) => Number(m.chat_id) === chatId && m.reply_markup !== undefined);
      push({
        callback_query: {
          id: `cb${nextUpdateId}`,
          from: user(from),
          chat_instance: 'x',
          data,
          message: { message_id: 1, date: 0, chat: chat(chatId), text: message?.text ?? '' },
        },
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
