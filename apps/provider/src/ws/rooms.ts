import type { Socket } from 'socket.io';
import { z } from 'zod';

export const SubscribeSchema = z.object({
  events: z.array(z.string().min(1)).min(1).max(200),
  symbols: z.array(z.string().min(1).max(40)).max(500).optional(),
});
export type SubscribeRequest = z.infer<typeof SubscribeSchema>;

/** What the handshake's guard leaves on `socket.data.principal`: whose token, until when, which symbols. */
export interface SocketPrincipal {
  tokenId: string;
  expiresAt: number | null;
  /** Only these symbols' events reach the socket; undefined: every symbol. */
  symbols?: readonly string[];
}

export const principalOf = (socket: Socket): SocketPrincipal | undefined =>
  (socket.data as { principal?: SocketPrincipal } | undefined)?.principal;

/**
 * The symbols a subscription may have on this socket: a token restricted to symbols gets the asked
 * ones it may see (all of its own when none are asked); `[]` when it asked only for others.
 */
export function allowedSymbols(socket: Socket, asked: readonly string[] | undefined): readonly string[] | undefined {
  const own = principalOf(socket)?.symbols;
  if (!own) return asked;
  if (!asked || asked.length === 0) return own;
  return asked.map((s) => s.toUpperCase()).filter((s) => own.includes(s));
}

/**
 * A socket receives events either as the bus delivers them (`live` rooms, the reference's
 * behaviour) or as the event sink stores them (`stored` rooms): storage order is what a
 * reconnecting client resumes from, so a resumable client is fed in that order from the start.
 */
export type Feed = 'live' | 'stored';

const PREFIX: Record<Feed, string> = { live: 'e', stored: 's' };
const ALL: Record<Feed, string> = { live: 'all', stored: 's:all' };

export const allRoom = (feed: Feed) => ALL[feed];
const eventRoom = (feed: Feed, name: string) => `${PREFIX[feed]}:${name}`;
const symbolRoom = (feed: Feed, name: string, symbol: string) => `${PREFIX[feed]}:${name}:${symbol.toUpperCase()}`;

const isSubscriptionRoom = (room: string) => room.startsWith('e:') || (room.startsWith('s:') && room !== ALL.stored);

/** The rooms one event is delivered to on a feed. */
export function roomsOfEvent(feed: Feed, type: string, symbol: string | undefined): string[] {
  const rooms = [ALL[feed], eventRoom(feed, type)];
  if (symbol) rooms.push(symbolRoom(feed, type, symbol));
  return rooms;
}

export function roomsFor(feed: Feed, events: readonly string[], symbols: readonly string[] | undefined): string[] {
  if (!symbols || symbols.length === 0) return events.map((e) => eventRoom(feed, e));
  return events.flatMap((e) => symbols.map((s) => symbolRoom(feed, e, s)));
}

/** The rooms an unsubscribe leaves: without symbols an event is dropped whole, its per-symbol subscriptions too. */
export function roomsLeaving(
  socket: Socket,
  events: readonly string[],
  symbols: readonly string[] | undefined,
): string[] {
  if (symbols && symbols.length > 0)
    return [...roomsFor('live', events, symbols), ...roomsFor('stored', events, symbols)];
  return [...socket.rooms].filter((room) =>
    events.some((e) =>
      (['live', 'stored'] as const).some(
        (feed) => room === eventRoom(feed, e) || room.startsWith(`${eventRoom(feed, e)}:`),
      ),
    ),
  );
}

/** The subscription rooms a socket is in (not its own id room, not an `all` room). */
export function subscriptionCount(socket: Socket): number {
  let n = 0;
  for (const room of socket.rooms) if (isSubscriptionRoom(room)) n += 1;
  return n;
}

export function subscriptionsOf(socket: Socket): { all: boolean; events: string[]; symbols: Record<string, string[]> } {
  const events: string[] = [];
  const symbols: Record<string, string[]> = {};
  for (const room of socket.rooms) {
    if (!isSubscriptionRoom(room)) continue;
    const [, name, symbol] = room.split(':');
    if (!name) continue;
    if (symbol) (symbols[name] ??= []).push(symbol);
    else events.push(name);
  }
  return { all: socket.rooms.has(ALL.live) || socket.rooms.has(ALL.stored), events: events.sort(), symbols };
}
