import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { platformRoutes } from '@barfinex/contracts';
import { EVENT_NAMES, getEventDefinition } from '@barfinex/events';
import type { EventName } from '@barfinex/events';
import { useLiveEvents } from '../../app/live';
import { Link, useRouter } from '../../app/router';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { errorText } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import type { TimeZoneMode } from '../../lib/format';
import { Jobs } from './Jobs';

/** Rows kept in the page at most: older ones are paged from the event sink, not held in memory. */
export const MAX_ROWS = 20_000;

export interface Row {
  eventId: string;
  type: string;
  category: string;
  symbol?: string | undefined;
  timestamp: number;
  correlationId?: string | undefined;
  /** One line of JSON for the log (cut at 2,000 characters). */
  summary: string;
  /** The whole payload, for the detail panel. */
  payload: unknown;
}

const summarize = (payload: unknown): string => {
  const text = JSON.stringify(payload ?? null);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
};

/** New live rows go on top; the list never grows past `max`. */
export function prependRows(rows: readonly Row[], fresh: readonly Row[], max = MAX_ROWS): Row[] {
  const seen = new Set(fresh.map((r) => r.eventId));
  return [...fresh, ...rows.filter((r) => !seen.has(r.eventId))].slice(0, max);
}

interface Filters {
  category: string;
  symbol: string;
  search: string;
}

const LIVE_EVENTS = EVENT_NAMES.filter((n) => getEventDefinition(n).category !== 'marketdata') as EventName[];

export function EventsPage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const { search: params } = useRouter();
  const [draft, setDraft] = useState<Filters>({
    category: params.get('category') ?? '',
    symbol: params.get('symbol') ?? '',
    search: params.get('search') ?? '',
  });
  const [filters, setFilters] = useState<Filters>(draft);
  const [paused, setPaused] = useState(false);
  const [live, setLive] = useState<Row[]>([]);
  const [selected, setSelected] = useState<Row | undefined>();
  const pending = useRef<Row[]>([]);

  const stored = useQuery({
    queryKey: ['eventsink', filters],
    queryFn: () =>
      client.request(platformRoutes.eventsink, {
        query: {
          limit: 200,
          ...(filters.category ? { category: filters.category } : {}),
          ...(filters.symbol ? { symbol: filters.symbol } : {}),
          ...(filters.search ? { search: filters.search } : {}),
        },
      }),
  });

  useLiveEvents(LIVE_EVENTS, undefined, (env) => {
    const def = getEventDefinition(env.type as EventName);
    if (filters.category && def.category !== filters.category) return;
    if (filters.symbol && env.symbol !== filters.symbol) return;
    const row: Row = {
      eventId: env.eventId,
      type: env.type,
      category: def.category,
      symbol: env.symbol,
      timestamp: env.timestamp,
      correlationId: env.correlationId,
      summary: summarize(env.payload),
      payload: env.payload,
    };
    if (filters.search && !row.summary.toLowerCase().includes(filters.search.toLowerCase())) return;
    if (paused) pending.current.push(row);
    else setLive((rows) => prependRows(rows, [row]));
  });

  const rows = useMemo(() => {
    const base: Row[] = (stored.data?.data ?? []).map((e) => ({
      eventId: e.eventId,
      type: e.type,
      category: e.category,
      symbol: e.symbol,
      timestamp: e.timestamp,
      correlationId: e.correlationId ?? undefined,
      summary: summarize((e as { payload?: unknown }).payload),
      payload: (e as { payload?: unknown }).payload,
    }));
    return prependRows(base, live);
  }, [stored.data, live]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 26,
    overscan: 12,
    getItemKey: (i) => rows[i]?.eventId ?? i,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setLive([]);
    setFilters(draft);
  };
  const resume = () => {
    setPaused(false);
    const queued = pending.current.reverse();
    pending.current = [];
    setLive((r) => prependRows(r, queued));
  };

  return (
    <div className="stack">
      <form className="row card" onSubmit={apply} aria-label="Event filters">
        <label className="field">
          <span>Category</span>
          <input
            value={draft.category}
            onChange={(e) => setDraft({ ...draft, category: e.target.value })}
            placeholder="order, signal, risk…"
          />
        </label>
        <label className="field">
          <span>Symbol</span>
          <input
            value={draft.symbol}
            onChange={(e) => setDraft({ ...draft, symbol: e.target.value.toUpperCase() })}
            placeholder="BTCUSDT"
          />
        </label>
        <label className="field">
          <span>Search in payload</span>
          <input value={draft.search} onChange={(e) => setDraft({ ...draft, search: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
        <span className="spacer" />
        {paused ? (
          <button type="button" onClick={resume} data-testid="tail-resume">
            Resume live tail ({pending.current.length} waiting)
          </button>
        ) : (
          <button type="button" onClick={() => setPaused(true)} data-testid="tail-pause">
            Pause live tail
          </button>
        )}
      </form>
      <Jobs />
      {stored.error ? <p className="error-box">{errorText(stored.error)}</p> : null}
      <p className="muted">
        {rows.length} events{stored.isLoading ? ' (loading stored events…)' : ''}
      </p>
      <div ref={scroller} className="virtual" data-testid="event-log" tabIndex={0} aria-label="Event log">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const r = rows[item.index];
            if (!r) return null;
            return (
              <div
                key={item.key}
                className={r.eventId === selected?.eventId ? 'vrow selected' : 'vrow'}
                data-event-type={r.type}
                style={{ transform: `translateY(${item.start}px)`, height: item.size }}
                role="button"
                tabIndex={0}
                aria-label={`${r.type} at ${formatTime(r.timestamp, timeZone)}: show the whole event`}
                onClick={() => setSelected(r)}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter' && e.key !== ' ') return;
                  e.preventDefault();
                  setSelected(r);
                }}
              >
                <span className="mono">{formatTime(r.timestamp, timeZone)}</span>
                <span>{r.type}</span>
                <span>{r.symbol ?? ''}</span>
                <span className="mono muted" title={r.summary}>
                  {r.summary}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {selected ? <EventDetail row={selected} timeZone={timeZone} onClose={() => setSelected(undefined)} /> : null}
    </div>
  );
}

/** One event whole: what the log's line cuts off, with its ids and the way to its lineage. */
function EventDetail({ row, timeZone, onClose }: { row: Row; timeZone: TimeZoneMode; onClose: () => void }) {
  const panel = useRef<HTMLElement>(null);
  // A block, not an expression: newer browsers return a promise from scrollIntoView, which React
  // would take for the effect's cleanup.
  useEffect(() => {
    void panel.current?.scrollIntoView?.({ block: 'nearest' });
  }, [row.eventId]);
  return (
    <section ref={panel} className="card" aria-label="Event detail" data-testid="event-detail">
      <div className="row">
        <strong>{row.type}</strong>
        <span className="mono muted">{formatTime(row.timestamp, timeZone)}</span>
        {row.symbol ? <span>{row.symbol}</span> : null}
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="small muted">
        event <span className="mono">{row.eventId}</span>
        {row.correlationId ? (
          <>
            {' · '}
            <Link to={`/lineage?id=${encodeURIComponent(row.correlationId)}`}>lineage of {row.correlationId}</Link>
          </>
        ) : null}
      </p>
      <pre className="event-json">{JSON.stringify(row.payload ?? null, null, 2)}</pre>
    </section>
  );
}

export default EventsPage;
