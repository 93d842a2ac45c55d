import { SingleBar } from 'cli-progress';
import { platformRoutes } from '@barfinex/contracts';
import type { ReplayStatus } from '@barfinex/contracts';
import { connectProviderSocket } from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import type { Cli } from './args';
import { UsageError } from './args';

type Out = (line: string) => void;

const TERMINAL = new Set(['finished', 'stopped', 'failed', 'idle']);

function describe(s: ReplayStatus): string {
  const pct = (s.progress * 100).toFixed(1);
  const cursor = s.cursor ? new Date(s.cursor).toISOString() : '-';
  return `replay ${s.replayId ?? '-'}: ${s.state}, ${pct}% (${s.eventsSent}/${s.total} events), cursor ${cursor}`;
}

function parseSpeed(raw: string | undefined): number | 'max' {
  if (raw === undefined || raw === 'max') return 'max';
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--speed must be "max" or a positive number, got "${raw}"`);
  return n;
}

/** Follows a replay to its end: WebSocket progress events, with the status route as the source of truth. */
async function follow(cli: Cli, provider: ProviderClient, first: ReplayStatus, out: Out): Promise<ReplayStatus> {
  const bar = cli.json
    ? undefined
    : new SingleBar({
        format: 'replay [{bar}] {percentage}% | {value}/{total} events | {rate} ev/s | cursor {cursor}',
        noTTYOutput: true,
        notTTYSchedule: 2000,
        hideCursor: true,
      });
  bar?.start(Math.max(1, first.total), first.eventsSent, { rate: 0, cursor: '-' });
  const ws = connectProviderSocket({ baseUrl: cli.url, token: cli.token, events: ['PROVIDER_REPLAY_PROGRESS'] });
  let last = first;
  let wake: (() => void) | undefined;
  ws.on('PROVIDER_REPLAY_PROGRESS', () => wake?.());
  const stopOnCtrlC = () => void provider.request(platformRoutes.replayStop).catch(() => undefined);
  process.once('SIGINT', stopOnCtrlC);
  try {
    await ws.ready().catch(() => undefined); // polling alone still works
    for (;;) {
      last = await provider.request(platformRoutes.replayStatus);
      if (last.replayId !== first.replayId) break;
      if (cli.json) out(JSON.stringify(last));
      bar?.setTotal(Math.max(1, last.total));
      bar?.update(last.eventsSent, {
        rate: Math.round(last.rate ?? 0),
        cursor: last.cursor ? new Date(last.cursor).toISOString() : '-',
      });
      if (TERMINAL.has(last.state)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 500);
      });
    }
  } finally {
    process.off('SIGINT', stopOnCtrlC);
    bar?.stop();
    ws.close();
  }
  return last;
}

export async function runReplay(cli: Cli, provider: ProviderClient, out: Out): Promise<number> {
  const verb = cli.command[1];
  if (verb === 'status') {
    const s = await provider.request(platformRoutes.replayStatus);
    out(cli.json ? JSON.stringify(s) : describe(s));
    return 0;
  }
  if (verb === 'stop') {
    const s = await provider.request(platformRoutes.replayStop);
    out(cli.json ? JSON.stringify(s) : describe(s));
    return 0;
  }
  if (verb !== 'start') throw new UsageError(`unknown replay command "${verb ?? ''}"`);
  if (!cli.from || !cli.to) throw new UsageError('replay start needs --from and --to');
  const asTime = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
  const started = await provider.request(platformRoutes.replayStart, {
    body: {
      from: asTime(cli.from),
      to: asTime(cli.to),
      speed: parseSpeed(cli.speed),
      ...(cli.symbols ? { symbols: cli.symbols } : {}),
    },
  });
  if (cli.detach) {
    out(cli.json ? JSON.stringify(started) : describe(started));
    return 0;
  }
  const end = await follow(cli, provider, started, out);
  if (!cli.json) out(describe(end));
  if (end.state === 'failed') return 1;
  return end.state === 'stopped' ? 130 : 0;
}
