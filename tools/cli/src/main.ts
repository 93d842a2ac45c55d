import { platformRoutes } from '@barfinex/contracts';
import { createProviderClient } from '@barfinex/sdk';
import { isAppError } from '@barfinex/service-kit';
import { HelpRequested, parseCli, USAGE, UsageError } from './args';
import { runBackfill } from './backfill';
import { runMcp } from './mcp';
import { runOptimize } from './optimize';
import { runReplay } from './replay';

const out = (line: string) => void process.stdout.write(`${line}\n`);
const err = (line: string) => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  const provider = createProviderClient({ baseUrl: cli.url, token: cli.token, timeoutMs: 15_000 });
  try {
    switch (cli.command[0]) {
      case 'replay':
        return await runReplay(cli, provider, out);
      case 'backfill':
        return await runBackfill(cli, provider, out);
      case 'mcp':
        return await runMcp(cli);
      case 'optimize':
        return await runOptimize(cli, provider, out);
      case 'status': {
        const overview = await provider.request(platformRoutes.dashboard, { query: { windowMinutes: 15 } });
        out(JSON.stringify(overview, null, cli.json ? undefined : 2));
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${cli.command[0] ?? ''}"`);
    }
  } finally {
    provider.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof HelpRequested) {
      out(USAGE);
      process.exit(0);
    }
    if (e instanceof UsageError) {
      if (e.message) err(`barfinex: ${e.message}\n`);
      err(USAGE);
      process.exit(2);
    }
    if (isAppError(e)) {
      err(`barfinex: ${e.code}: ${e.message}`);
      process.exit(1);
    }
    err(`barfinex: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
