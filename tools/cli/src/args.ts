import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `usage: barfinex <command> [options]

commands:
  replay start --from <time> --to <time> [--speed max|<n>] [--symbols BTCUSDT,ETHUSDT]
                                 start a replay and follow it with a progress bar
                                 (Ctrl-C stops the replay; --detach returns at once)
  replay status                  one line about the current or last replay
  replay stop                    stop the running replay
  backfill --connector sim --market spot --symbol BTCUSDT --interval min1 --from <time> --to <time>
                                 page the connector's candle history into the store and
                                 follow it with a progress bar (--detach returns at once)
  backfill status --connector .. --market .. --symbol .. --interval ..
                                 one line about the series' running or last backfill
  status                         the dashboard overview: apps, connectors, event rates, alerts
  mcp                            the provider's MCP server on stdin/stdout, for AI agents: every operation
                                 a tool, scopes as the token's (write tools default to dryRun without trade)
  optimize --detector ema-cross --symbols BTCUSDT --interval min1 (--from <time> --to <time> [--connector sim --market spot] | --bars <n>)
           [--space fast=3:20:1,slow=20:60:5,mode=a|b,flag=true] [--method grid|random|tpe] [--trials 100] [--seed 1]
           [--objective sharpe|sortino|calmar|profitFactor|returnOverMaxDrawdown|netProfit] [--folds 4] [--anchored]
           [--min-trades <n>] [--max-drawdown <pct>]
                                 start a walk-forward optimisation and follow it with a progress bar
                                 (--detach returns at once; Ctrl-C stops following, the job goes on)
  optimize --attach <id>         follow a running optimisation (from any terminal)
  optimize status|cancel <id>    one line about an optimisation, or stop it

options:
  --url <url>      provider root (default: $PROVIDER_URL or http://127.0.0.1:8080)
  --token <token>  API token (default: $PROVIDER_API_TOKEN, else ./data/api-token)
  --json           machine-readable output
time: Unix ms or ISO-8601 (2026-01-05T00:00:00Z)`;

export interface Cli {
  command: string[];
  url: string;
  token: string;
  json: boolean;
  detach: boolean;
  from?: string | undefined;
  to?: string | undefined;
  speed?: string | undefined;
  symbols?: string[] | undefined;
  connector?: string | undefined;
  market?: string | undefined;
  symbol?: string | undefined;
  interval?: string | undefined;
  /** `optimize` flags, as given (checked by the command). */
  optimize: Partial<Record<(typeof OPTIMIZE_FLAGS)[number], string>> & { anchored: boolean };
}

const OPTIMIZE_FLAGS = [
  'detector',
  'bars',
  'space',
  'method',
  'trials',
  'seed',
  'objective',
  'folds',
  'attach',
  'min-trades',
  'max-drawdown',
] as const;

export class UsageError extends Error {}

/** `--help` / `-h`: the usage goes to stdout and the command succeeds. */
export class HelpRequested extends Error {}

function defaultToken(env: NodeJS.ProcessEnv, cwd: string): string {
  if (env['PROVIDER_API_TOKEN']) return env['PROVIDER_API_TOKEN'];
  const file = resolve(cwd, env['BARFINEX_DATA_DIR'] ?? 'data', 'api-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

/**
 * `--token -abc` read as `--token=-abc`: a token may begin with a dash (base64url), which the
 * argument parser would otherwise take for an option.
 */
function joinTokenValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = argv[i + 1];
    if (arg === '--token' && value !== undefined) {
      out.push(`--token=${value}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Cli {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinTokenValue(argv),
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        detach: { type: 'boolean', default: false },
        from: { type: 'string' },
        to: { type: 'string' },
        speed: { type: 'string' },
        symbols: { type: 'string' },
        connector: { type: 'string' },
        market: { type: 'string' },
        symbol: { type: 'string' },
        interval: { type: 'string' },
        ...Object.fromEntries(OPTIMIZE_FLAGS.map((f) => [f, { type: 'string' as const }])),
        anchored: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) throw new HelpRequested();
  if (positionals.length === 0) throw new UsageError('');
  const token = values.token ?? defaultToken(env, cwd);
  if (!token)
    throw new UsageError(
      'no API token: pass --token, set PROVIDER_API_TOKEN, or run from the directory holding data/api-token',
    );
  return {
    command: positionals,
    url: values.url ?? env['PROVIDER_URL'] ?? 'http://127.0.0.1:8080',
    token,
    json: values.json ?? false,
    detach: values.detach ?? false,
    from: values.from,
    to: values.to,
    speed: values.speed,
    symbols: values.symbols
      ? values.symbols
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean)
      : undefined,
    connector: values.connector,
    market: values.market,
    symbol: values.symbol,
    interval: values.interval,
    optimize: {
      ...Object.fromEntries(
        OPTIMIZE_FLAGS.flatMap((f) =>
          typeof (values as Record<string, unknown>)[f] === 'string'
            ? [[f, (values as Record<string, unknown>)[f] as string]]
            : [],
        ),
      ),
      anchored: values.anchored === true,
    },
  };
}
