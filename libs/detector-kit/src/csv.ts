import type { Bar } from './bar';

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

function parseTime(text: string, line: number): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new SyntaxError(`line ${line}: time ${JSON.stringify(text)} is neither Unix ms nor an ISO date`);
  return ms;
}

/**
 * Parses `time,open,high,low,close,volume` rows (Unix ms or ISO time). A header row is optional
 * and may list the columns in another order; blank lines and `#` comments are skipped. Errors
 * name the line, because a CSV that half-loads produces plausible but wrong backtests.
 */
export function parseCandlesCsv(text: string): Bar[] {
  const lines = text.split(/\r?\n/);
  let order: readonly string[] = COLUMNS;
  const bars: Bar[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const cells = trimmed.split(',').map((c) => c.trim());
    if (
      bars.length === 0 &&
      order === COLUMNS &&
      cells.some((c) => /[a-z]/i.test(c) && COLUMNS.includes(c.toLowerCase() as never))
    ) {
      const header = cells.map((c) => c.toLowerCase());
      const missing = COLUMNS.filter((c) => !header.includes(c));
      if (missing.length > 0) throw new SyntaxError(`line ${line}: header lacks ${missing.join(', ')}`);
      order = header;
      return;
    }
    if (cells.length < COLUMNS.length)
      throw new SyntaxError(`line ${line}: expected ${COLUMNS.length} columns, got ${cells.length}`);
    const field = (name: (typeof COLUMNS)[number]) => cells[order.indexOf(name)] ?? '';
    const num = (name: Exclude<(typeof COLUMNS)[number], 'time'>) => {
      const value = Number(field(name));
      if (field(name) === '' || !Number.isFinite(value))
        throw new SyntaxError(`line ${line}: ${name} ${JSON.stringify(field(name))} is not a number`);
      return value;
    };
    const bar: Bar = {
      time: parseTime(field('time'), line),
      open: num('open'),
      high: num('high'),
      low: num('low'),
      close: num('close'),
      volume: num('volume'),
    };
    if (
      bar.low > bar.high ||
      bar.open > bar.high ||
      bar.open < bar.low ||
      bar.close > bar.high ||
      bar.close < bar.low
    ) {
      throw new SyntaxError(`line ${line}: prices are not within low..high`);
    }
    bars.push(bar);
  });
  return bars;
}

/** The inverse of parseCandlesCsv, with a header row. */
export function formatCandlesCsv(bars: readonly Bar[]): string {
  return (
    [COLUMNS.join(','), ...bars.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume].join(','))].join('\n') +
    '\n'
  );
}
