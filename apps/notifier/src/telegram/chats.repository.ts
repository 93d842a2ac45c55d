// Telegram chats and their message queue; the only Prisma user for Telegram.
import type { Prisma, PrismaClient } from '@barfinex/db';
import { bigIntToMs, msToBigInt } from '@barfinex/db';
import { stringList } from '../selectors';
import type { Language } from './format';

export interface ChatRecord {
  chatId: string;
  title: string | null;
  language: Language;
  events: string[];
  symbols: string[];
  /** Minutes of the day in `timeZone`; from > to spans midnight. */
  quietFrom: number | null;
  quietTo: number | null;
  digestMinutes: number | null;
  /** IANA name. */
  timeZone: string;
  authorised: boolean;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface MessageRecord {
  seq: bigint;
  chatId: string;
  eventId: string;
  eventName: string;
  text: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number;
  createdAt: number;
  sentAt: number | null;
}
export type NewMessage = Pick<MessageRecord, 'chatId' | 'eventId' | 'eventName' | 'text' | 'nextAttemptAt'>;

type ChatRow = Prisma.TelegramChatGetPayload<object>;
type MessageRow = Prisma.TelegramMessageGetPayload<object>;

const toChat = (r: ChatRow): ChatRecord => ({
  chatId: r.chatId,
  title: r.title,
  language: r.language === 'ru' ? 'ru' : 'en',
  events: stringList(r.events),
  symbols: stringList(r.symbols),
  quietFrom: r.quietFrom,
  quietTo: r.quietTo,
  digestMinutes: r.digestMinutes,
  timeZone: r.timeZone,
  authorised: r.authorised,
  enabled: r.enabled,
  createdAt: bigIntToMs(r.createdAt),
  updatedAt: bigIntToMs(r.updatedAt),
});

const toMessage = (r: MessageRow): MessageRecord => ({
  ...r,
  status: r.status as MessageRecord['status'],
  nextAttemptAt: bigIntToMs(r.nextAttemptAt),
  createdAt: bigIntToMs(r.createdAt),
  sentAt: r.sentAt === null ? null : bigIntToMs(r.sentAt),
});

export function createChatsRepository(prisma: PrismaClient, appKey: string) {
  return {
    async list(): Promise<ChatRecord[]> {
      return (await prisma.telegramChat.findMany({ where: { appKey }, orderBy: { createdAt: 'asc' } })).map(toChat);
    },
    async upsert(c: ChatRecord): Promise<ChatRecord> {
      const data = { ...c, appKey, createdAt: msToBigInt(c.createdAt), updatedAt: msToBigInt(c.updatedAt) };
      const { chatId: _id, createdAt: _created, ...update } = data;
      return toChat(await prisma.telegramChat.upsert({ where: { chatId: c.chatId }, create: data, update }));
    },
    async remove(chatId: string): Promise<void> {
      await prisma.$transaction([
        prisma.telegramMessage.deleteMany({ where: { chatId } }),
        prisma.telegramChat.deleteMany({ where: { chatId, appKey } }),
      ]);
    },
    async enqueue(rows: readonly NewMessage[], now: number): Promise<void> {
      if (rows.length === 0) return;
      await prisma.telegramMessage.createMany({
        data: rows.map((r) => ({
          ...r,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: msToBigInt(r.nextAttemptAt),
          createdAt: msToBigInt(now),
        })),
        skipDuplicates: true,
      });
    },
    /** Chats with something due, and that something in queue order. */
    async due(now: number, limit: number): Promise<MessageRecord[]> {
      const rows = await prisma.telegramMessage.findMany({
        where: { status: 'pending', nextAttemptAt: { lte: msToBigInt(now) } },
        orderBy: { seq: 'asc' },
        take: limit,
      });
      return rows.map(toMessage);
    },
    async markSent(seqs: readonly bigint[], now: number): Promise<void> {
      await prisma.telegramMessage.updateMany({
        where: { seq: { in: [...seqs] } },
        data: { status: 'sent', sentAt: msToBigInt(now), lastError: null },
      });
    },
    async markFailed(
      seqs: readonly bigint[],
      attempt: { error: string; nextAttemptAt: number; givesUp: boolean },
    ): Promise<void> {
      await prisma.telegramMessage.updateMany({
        where: { seq: { in: [...seqs] } },
        data: {
          attempts: { increment: 1 },
          lastError: attempt.error.slice(0, 1000),
          nextAttemptAt: msToBigInt(attempt.nextAttemptAt),
          ...(attempt.givesUp ? { status: 'failed' } : {}),
        },
      });
    },
    async messages(
      chatId: string,
      q: { page: number; limit: number },
    ): Promise<{ items: MessageRecord[]; total: number }> {
      const [rows, total] = await Promise.all([
        prisma.telegramMessage.findMany({
          where: { chatId },
          orderBy: { seq: 'desc' },
          skip: (q.page - 1) * q.limit,
          take: q.limit,
        }),
        prisma.telegramMessage.count({ where: { chatId } }),
      ]);
      return { items: rows.map(toMessage), total };
    },
  };
}
export type ChatsRepository = ReturnType<typeof createChatsRepository>;
