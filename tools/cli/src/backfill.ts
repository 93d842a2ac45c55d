import { SingleBar } from 'cli-progress';
import { BackfillSeriesParams, backtestRoutes } from '@barfinex/contracts';
import type { BackfillStatus } from '@barfinex/contracts';
import { connectProviderSocket } from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import type { Cli } from './args';
import { UsageError } from './args';

type Out = (line: string) => void;
type Series = ReturnType<typeof BackfillSeriesParams.parse>;

const iso = (t: number | undefined) => (t === undefined ? '-' : new Date(t).toISOString());

function describe(s: BackfillStatus): string {
  return `backfill ${s.connectorType}/${s.marketType}/${s.symbol}/${s.interval}: ${s.state}, ${(s.progress * 100).toFixed(1)}% (${s.upserted} bars in ${s.pages} pages), cursor ${iso(s.cursor)}${s.error ? `, error: ${s.error}` : ''}`;
}

function seriesOf(cli: Cli): Series {
  const missing = (['connector', 'market', 'symbol', 'interval'] as const).filter((k) => !cli[k]);
  if (missing.length > 0) throw new UsageError(`backfill needs ${missing.map((k) => `--${k}`).join(', ')}`);
  const parsed = BackfillSeriesParams.safeParse({
    connectorType: cli.connector,
    marketType: cli.market,
    symbol: cli.symbol,
    interval: cli.interval,
  });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues.map((i) => `--${String(i.path[0]).replace('Type', '')}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

/** Follows one series' backfill to its end: WebSocket progress wakes the poll of the status route. */
async function follow(
  cli: Cli,
  provider: ProviderClient,
  params: Series,
  first: BackfillStatus,
  out: Out,
): Promise<BackfillStatus> {
  const bar = cli.json
    ? undefined
    : new SingleBar({
        format: 'backfill [{bar}] {percentage}% | {bars} bars | cursor {cursor}',
        noTTYOutput: true,
        notTTYSchedule: 2000,
        hideCursor: true,
      });
  bar?.start(1000, Math.round(first.progress * 1000), { bars: first.upserted, cursor: iso(first.cursor) });
  const ws = connectProviderSocket({ baseUrl: cli.url, token: cli.token, events: ['PROVIDER_BACKFILL_PROGRESS'] });
  let wake: (() => void) | undefined;
  ws.on('PROVIDER_BACKFILL_PROGRESS', () => wake?.());
  let last = first;
  try {
    await ws.ready().catch(() => undefined); // polling alone still works
    for (;;) {
      last = await provider.request(backtestRoutes.candleBackfillStatus, { params });
      if (last.jobId !== first.jobId) break;
      if (cli.json) out(JSON.stringify(last));
      bar?.update(Math.round(last.progress * 1000), { bars: last.upserted, cursor: iso(last.cursor) });
      if (last.state !== 'running') break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 500);
      });
    }
  } finally {
    bar?.stop();
    ws.close();
  }
  return last;
}

export async function runBackfill(cli: Cli, provider: ProviderClient, out: Out): Promise<number> {
  const params = seriesOf(cli);
  if (cli.command[1] === 'status') {
    const s = await provider.request(backtestRoutes.candleBackfillStatus, { params });
    out(cli.json ? JSON.stringify(s) : describe(s));
    return 0;
  }
  if (!cli.from || !cli.to) throw new UsageError('backfill needs --from and --to');
  const asTime = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
  const started = await provider.request(backtestRoutes.candleBackfill, {
    params,
    body: { from: asTime(cli.from), to: asTime(cli.to) },
  });
  if (cli.detach) {
    out(cli.json ? JSON.stringify(started) : describe(started));
    return 0;
  }
  const end = await follow(cli, provider, params, started, out);
  if (!cli.json) out(describe(end));
  return end.state === 'finished' ? 0 : 1;
}
