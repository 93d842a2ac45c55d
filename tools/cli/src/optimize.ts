import { SingleBar } from 'cli-progress';
import { optimizationRoutes } from '@barfinex/contracts';
import type { OptimizationDetail, OptimizationSummary } from '@barfinex/contracts';
import { connectProviderSocket } from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import type { Cli } from './args';
import { UsageError } from './args';

type Out = (line: string) => void;

const duration = (ms: number | null) =>
  ms === null ? '-' : ms >= 60_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 1000)}s`;
const bestOf = (s: OptimizationSummary) =>
  s.best ? `${s.best.score.toFixed(3)} ${JSON.stringify(s.best.params)}` : '-';

function describe(s: OptimizationSummary): string {
  return `optimization ${s.id} (${s.detector} ${s.symbols.join(',')} ${s.interval}, ${s.method}, ${s.objective}): ${s.state}, ${s.done}/${s.total} trials, best ${bestOf(s)}, eta ${duration(s.etaMs)}${s.error ? `, error: ${s.error}` : ''}`;
}

/** `fast=3:20:1,slow=20:60:5,mode=a|b,flag=true` → the request's `space`. */
export function parseSpace(text: string): Record<string, unknown> {
  const space: Record<string, unknown> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=', 2);
    if (!name || value === undefined)
      throw new UsageError(`--space: "${part}" is not name=min:max[:step], name=a|b or name=value`);
    const scalar = (v: string): string | number | boolean =>
      v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    if (value.includes(':')) {
      const [min, max, step] = value.split(':').map(Number);
      if (!Number.isFinite(min) || !Number.isFinite(max) || (step !== undefined && !Number.isFinite(step)))
        throw new UsageError(`--space: "${part}" needs numbers in min:max[:step]`);
      space[name] = { min, max, ...(step !== undefined ? { step } : {}) };
    } else if (value.includes('|')) space[name] = { values: value.split('|').map(scalar) };
    else space[name] = { fixed: scalar(value) };
  }
  return space;
}

function requestOf(cli: Cli): Record<string, unknown> {
  const o = cli.optimize;
  if (!o.detector || !cli.symbols || !cli.interval)
    throw new UsageError('optimize needs --detector, --symbols and --interval');
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const asTime = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
  let source: Record<string, unknown>;
  if (o.bars) source = { type: 'synthetic', bars: Number(o.bars), ...(o.seed ? { seed: Number(o.seed) } : {}) };
  else if (cli.from && cli.to)
    source = {
      type: 'stored',
      connectorType: cli.connector ?? 'sim',
      marketType: cli.market ?? 'spot',
      from: asTime(cli.from),
      to: asTime(cli.to),
    };
  else throw new UsageError('optimize needs --from and --to (stored candles) or --bars (synthetic)');
  return {
    detector: o.detector,
    symbols: cli.symbols,
    interval: cli.interval,
    source,
    ...(o.space ? { space: parseSpace(o.space) } : {}),
    ...(o.objective ? { objective: o.objective } : {}),
    constraints: {
      minTrades: num(o['min-trades']) ?? 0,
      ...(o['max-drawdown'] ? { maxDrawdownPct: Number(o['max-drawdown']) } : {}),
    },
    search: { method: o.method ?? 'tpe', trials: num(o.trials) ?? 100, seed: num(o.seed) ?? 1 },
    ...(o.folds !== '0'
      ? { walkForward: { mode: o.anchored ? 'anchored' : 'rolling', folds: num(o.folds) ?? 4 } }
      : {}),
  };
}

function verdictOf(d: OptimizationDetail): string[] {
  const r = d.result;
  if (!r) return [];
  const h = r.headline;
  return [
    `${r.headlineKind === 'outOfSample' ? 'stitched out-of-sample' : 'in-sample'}: ${h ? `score ${h.score ?? 'n/a'}, return ${h.returnPct.toFixed(2)} %, max drawdown ${h.maxDrawdownPct.toFixed(2)} %, ${h.trades} trades` : 'none'}`,
    `chosen: ${JSON.stringify(r.chosen)}`,
    `robustness ${r.guard.robustness?.toFixed(2) ?? '-'}, PBO ${r.guard.pbo === null ? '-' : `${(r.guard.pbo * 100).toFixed(0)} %`}, deflated Sharpe ${r.guard.deflatedSharpe?.toFixed(2) ?? '-'}`,
    r.guard.verdict,
  ];
}

/** Follows a job to its end: progress events wake the poll of the job's summary. */
async function follow(cli: Cli, provider: ProviderClient, id: string, out: Out): Promise<OptimizationDetail> {
  const get = (trials: number) =>
    provider.request(optimizationRoutes.optimizationGet, { params: { id }, query: { trials } });
  const bar = cli.json
    ? undefined
    : new SingleBar({
        format: 'optimize [{bar}] {value}/{total} trials | best {best} | eta {eta_text}',
        noTTYOutput: true,
        notTTYSchedule: 2000,
        hideCursor: true,
      });
  let last = await get(0);
  bar?.start(Math.max(1, last.total), last.done, { best: bestOf(last), eta_text: duration(last.etaMs) });
  const ws = connectProviderSocket({ baseUrl: cli.url, token: cli.token, events: ['PROVIDER_OPTIMIZATION_PROGRESS'] });
  let wake: (() => void) | undefined;
  ws.on('PROVIDER_OPTIMIZATION_PROGRESS', () => wake?.());
  try {
    await ws.ready().catch(() => undefined); // polling alone still works
    for (;;) {
      last = await get(0);
      if (cli.json)
        out(
          JSON.stringify({
            id,
            state: last.state,
            done: last.done,
            total: last.total,
            best: last.best,
            etaMs: last.etaMs,
          }),
        );
      bar?.setTotal(Math.max(1, last.total));
      bar?.update(last.done, { best: bestOf(last), eta_text: duration(last.etaMs) });
      if (last.state !== 'running' && last.state !== 'queued') break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1_000);
      });
    }
  } finally {
    bar?.stop();
    ws.close();
  }
  return last;
}

export async function runOptimize(cli: Cli, provider: ProviderClient, out: Out): Promise<number> {
  const sub = cli.command[1];
  if (sub === 'status' || sub === 'cancel') {
    const id = cli.command[2];
    if (!id) throw new UsageError(`optimize ${sub} needs the job id`);
    const s =
      sub === 'status'
        ? await provider.request(optimizationRoutes.optimizationGet, { params: { id }, query: { trials: 0 } })
        : await provider.request(optimizationRoutes.optimizationCancel, { params: { id } });
    out(cli.json ? JSON.stringify(s) : describe(s));
    return 0;
  }
  let id = cli.optimize.attach;
  if (!id) {
    const body = requestOf(cli) as Parameters<
      typeof provider.request<typeof optimizationRoutes.optimizationCreate>
    >[1] extends { body: infer B }
      ? B
      : never;
    const started = await provider.request(optimizationRoutes.optimizationCreate, { body });
    if (cli.detach) {
      out(cli.json ? JSON.stringify(started) : describe(started));
      return 0;
    }
    if (!cli.json)
      out(`started optimization ${started.id} (follow it elsewhere: npx barfinex optimize --attach ${started.id})`);
    id = started.id;
  }
  const end = await follow(cli, provider, id, out);
  if (!cli.json) for (const line of [describe(end), ...verdictOf(end)]) out(line);
  return end.state === 'finished' ? 0 : 1;
}
