// What an alert says, whichever form it came in. TradingView posts the alert's message as the body,
// as application/json when the message is valid JSON and as text/plain otherwise, only to ports 80
// and 443, and gives up on an answer after 3 s (Help Center, "How to configure webhook alerts",
// tradingview.com/support/solutions/43000529348); placeholders such as {{ticker}}, {{exchange}},
// {{close}}, {{timenow}} and, in strategy alerts, {{strategy.order.action}} are filled in before it
// sends, and a misspelt one is left as it is ("How to use a variable value in alert",
// tradingview.com/support/solutions/43000531021). A generic JSON signal uses the platform's words.
import { z } from 'zod';

export interface ParsedAlert {
  form: 'tradingview-json' | 'tradingview-text' | 'generic-json';
  secret?: string;
  /** As the sender wrote it, with the exchange prefix when it sent one: `BINANCE:BTCUSDT.P`. */
  ticker: string;
  direction: 'LONG' | 'SHORT';
  price?: string;
  stop?: string;
  target?: string;
  confidence?: number;
  /** The alert's own time (ms), for the replay window. */
  time?: number;
  /** The sender's id for this alert, when it gives one: the dedup key then. */
  id?: string;
  comment?: string;
}

/** Why an alert was refused: a stable code for the log and the error's details, and words for a human. */
export class AlertProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;
const ACTIONS: Record<string, 'LONG' | 'SHORT'> = { buy: 'LONG', long: 'LONG', sell: 'SHORT', short: 'SHORT' };

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

function decimal(field: string, v: unknown): string | undefined {
  const s = text(v);
  if (s === undefined || s === '') return undefined;
  if (!DECIMAL.test(s) || Number(s) <= 0)
    throw new AlertProblem('BAD_NUMBER', `${field} must be a positive decimal, got ${JSON.stringify(s.slice(0, 40))}`);
  return s;
}

/** ISO 8601 (TradingView's {{timenow}}), Unix seconds or Unix milliseconds. */
function time(v: unknown): number | undefined {
  const s = text(v);
  if (s === undefined || s === '') return undefined;
  if (/^\d{9,11}$/.test(s)) return Number(s) * 1000;
  if (/^\d{12,14}$/.test(s)) return Number(s);
  const ms = Date.parse(s);
  if (Number.isNaN(ms))
    throw new AlertProblem(
      'BAD_TIME',
      `time must be ISO 8601 or Unix seconds/ms, got ${JSON.stringify(s.slice(0, 40))}`,
    );
  return ms;
}

function direction(v: unknown): 'LONG' | 'SHORT' {
  const s = text(v)?.toLowerCase();
  if (s === undefined || s === '')
    throw new AlertProblem('MISSING_FIELD', 'the alert names no action (buy/sell, long/short)');
  const d = ACTIONS[s];
  if (d) return d;
  if (s === 'flat' || s === 'close' || s === 'exit')
    throw new AlertProblem(
      'UNSUPPORTED_ACTION',
      `"${s}" closes a position; a hook turns alerts into entry signals only (exits belong to the inspector's stops and targets)`,
    );
  throw new AlertProblem(
    'BAD_ACTION',
    `action must be buy, sell, long or short, got ${JSON.stringify(s.slice(0, 40))}`,
  );
}

function unresolved(fields: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && v.includes('{{'))
      throw new AlertProblem(
        'UNRESOLVED_PLACEHOLDER',
        `${k} is still the placeholder ${v.slice(0, 60)}: this variable is not filled in for this kind of alert`,
      );
  }
}

function fromFields(form: ParsedAlert['form'], f: Record<string, unknown>): ParsedAlert {
  unresolved(f);
  const exchange = text(f['exchange']);
  const rawTicker = text(f['ticker'] ?? f['symbol']);
  if (!rawTicker) throw new AlertProblem('MISSING_FIELD', 'the alert names no ticker (ticker or symbol)');
  const ticker = exchange && !rawTicker.includes(':') ? `${exchange}:${rawTicker}` : rawTicker;
  if (ticker.length > 80 || !/^[A-Za-z0-9._:!/-]+$/.test(ticker))
    throw new AlertProblem('BAD_TICKER', `ticker ${JSON.stringify(ticker.slice(0, 80))} is not a ticker`);
  const confidence = f['confidence'] === undefined ? undefined : Number(f['confidence']);
  if (confidence !== undefined && !(confidence >= 0 && confidence <= 1))
    throw new AlertProblem('BAD_NUMBER', 'confidence must be between 0 and 1');
  const parsed: ParsedAlert = { form, ticker, direction: direction(f['action'] ?? f['side'] ?? f['direction']) };
  const set = <K extends keyof ParsedAlert>(k: K, v: ParsedAlert[K] | undefined) => {
    if (v !== undefined) parsed[k] = v;
  };
  set('secret', text(f['secret']));
  set('price', decimal('price', f['price'] ?? f['close']));
  set('stop', decimal('stop', f['stop'] ?? f['sl'] ?? f['stopLoss']));
  set('target', decimal('target', f['target'] ?? f['tp'] ?? f['takeProfit']));
  set('confidence', confidence);
  set('time', time(f['time'] ?? f['timestamp'] ?? f['timenow']));
  const id = text(f['id'] ?? f['alertId']);
  if (id !== undefined && id !== '') set('id', id.slice(0, 200));
  const comment = text(f['comment'] ?? f['message']);
  if (comment) set('comment', comment.slice(0, 500));
  return parsed;
}

const PAIR = /([A-Za-z_]+)\s*=\s*("[^"]*"|[^\s,;]+)/g;
const SHORT_FORM = /^(buy|sell|long|short|flat|close|exit)\s+([A-Za-z0-9._:!/-]+)(?:\s*@\s*([0-9.]+))?\s*$/i;

function fromText(body: string): ParsedAlert {
  const firstLine = body.trim().split(/\r?\n/)[0] ?? '';
  const short = SHORT_FORM.exec(firstLine);
  const pairs = Object.fromEntries(
    [...body.matchAll(PAIR)].map((m) => [m[1]?.toLowerCase() ?? '', (m[2] ?? '').replace(/^"|"$/g, '')]),
  );
  if (short)
    return fromFields('tradingview-text', {
      ...pairs,
      action: short[1],
      ticker: short[2],
      ...(short[3] ? { price: short[3] } : {}),
    });
  if (Object.keys(pairs).length > 0) return fromFields('tradingview-text', pairs);
  throw new AlertProblem(
    'INVALID_BODY',
    'the body is neither JSON nor the text form ("key=value" pairs, or "buy BINANCE:BTCUSDT.P @ 65000")',
  );
}

const JsonObject = z.record(z.string(), z.unknown());

/** Reads an alert body; throws AlertProblem naming what is wrong. */
export function parseAlert(body: string): ParsedAlert {
  const trimmed = body.trim();
  if (trimmed === '') throw new AlertProblem('INVALID_BODY', 'the alert is empty');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new AlertProblem('INVALID_BODY', 'the body starts like JSON but is not valid JSON');
    }
    const fields = JsonObject.safeParse(json);
    if (!fields.success) throw new AlertProblem('INVALID_BODY', 'a JSON alert is an object');
    const generic = fields.data['direction'] !== undefined && fields.data['ticker'] === undefined;
    return fromFields(generic ? 'generic-json' : 'tradingview-json', fields.data);
  }
  return fromText(trimmed);
}
