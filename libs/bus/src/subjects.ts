import type { EventName } from '@barfinex/events';

// Subject scheme (see README): <prefix>.ev.<EVENT_NAME>.<virtual partition>.<symbol token>
// The virtual partition is a stable hash of the symbol, so a partitioned consumer subscribes to
// its share of partitions and the server does the filtering; the symbol token lets a consumer
// subscribe to exactly one symbol.

/** Fixed for the life of the deployment: changing it moves symbols between partition members. */
export const VIRTUAL_PARTITIONS = 64;
export const DEFAULT_SUBJECT_PREFIX = 'bfx';

/** Token for events without a symbol; the symbol encoding never produces a lone `~`. */
export const NO_SYMBOL_TOKEN = '~';

const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const SAFE_CHAR = /[A-Za-z0-9_-]/;

export function isValidSubjectPrefix(prefix: string): boolean {
  return PREFIX_PATTERN.test(prefix);
}

/**
 * Makes a symbol a legal NATS token without collisions: safe characters stay, every other byte
 * becomes `~XX` (hex of its UTF-8 byte), so `BTC/USDT` → `BTC~2FUSDT` and `BTC_USDT` stays apart.
 */
export function symbolToken(symbol: string | undefined): string {
  if (symbol === undefined || symbol === '') return NO_SYMBOL_TOKEN;
  let out = '';
  for (const ch of symbol) {
    if (SAFE_CHAR.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** FNV-1a (32 bit) of the symbol's UTF-8 bytes modulo VIRTUAL_PARTITIONS; symbol-less events use 0. */
export function virtualPartition(symbol: string | undefined): number {
  if (symbol === undefined || symbol === '') return 0;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(symbol, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % VIRTUAL_PARTITIONS;
}

/** Partition member `index` of `count` owns the virtual partitions v with v % count === index. */
export function ownsPartition(vp: number, partition: { index: number; count: number }): boolean {
  return vp % partition.count === partition.index;
}

export function eventBaseSubject(name: EventName, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  return `${prefix}.ev.${name}`;
}

function buildSubject(name: EventName, symbol: string | undefined, prefix: string): string {
  return `${eventBaseSubject(name, prefix)}.${virtualPartition(symbol)}.${symbolToken(symbol)}`;
}

/** The subject an event is published on. */
export function eventSubject(name: EventName, symbol?: string, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  return buildSubject(name, symbol, prefix);
}

const SYMBOLS_PER_EVENT_LIMIT = 20_000;

/**
 * eventSubject with a cache: subjects are derived on every publish, and hashing and encoding the
 * symbol each time would be most of the bus's own cost. Bounded per event name.
 */
export function createSubjectResolver(prefix: string): (name: EventName, symbol: string | undefined) => string {
  const byName = new Map<EventName, Map<string, string>>();
  return (name, symbol) => {
    let bySymbol = byName.get(name);
    if (bySymbol === undefined) byName.set(name, (bySymbol = new Map()));
    const key = symbol ?? '';
    let subject = bySymbol.get(key);
    if (subject === undefined) {
      if (bySymbol.size >= SYMBOLS_PER_EVENT_LIMIT) bySymbol.clear();
      subject = buildSubject(name, symbol, prefix);
      bySymbol.set(key, subject);
    }
    return subject;
  };
}

export interface SubjectFilter {
  symbol?: string | undefined;
  partition?: { index: number; count: number } | undefined;
}

/** The subjects a subscriber to `name` with this filter listens on (server-side filtering). */
export function subscriptionSubjects(
  name: EventName,
  filter: SubjectFilter,
  prefix: string = DEFAULT_SUBJECT_PREFIX,
): string[] {
  const base = eventBaseSubject(name, prefix);
  if (filter.symbol !== undefined) return [eventSubject(name, filter.symbol, prefix)];
  const partition = filter.partition;
  if (partition === undefined || partition.count === 1) return [`${base}.>`];
  const subjects: string[] = [];
  for (let vp = partition.index; vp < VIRTUAL_PARTITIONS; vp += partition.count) subjects.push(`${base}.${vp}.*`);
  return subjects;
}

export interface ParsedEventSubject {
  name: string;
  partition: number;
  symbolToken: string;
}

/** Splits an event subject back into its parts; undefined when it is not one. */
export function parseEventSubject(
  subject: string,
  prefix: string = DEFAULT_SUBJECT_PREFIX,
): ParsedEventSubject | undefined {
  const head = `${prefix}.ev.`;
  if (!subject.startsWith(head)) return undefined;
  const parts = subject.slice(head.length).split('.');
  if (parts.length !== 3) return undefined;
  const [name, vp, token] = parts as [string, string, string];
  const partition = Number(vp);
  if (!Number.isInteger(partition) || partition < 0 || partition >= VIRTUAL_PARTITIONS || token === '')
    return undefined;
  return { name, partition, symbolToken: token };
}
