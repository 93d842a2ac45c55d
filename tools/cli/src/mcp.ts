import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { scopeGranted } from '@barfinex/contracts';
import type { ApiScope } from '@barfinex/contracts';
import { createMcpServer, httpRestCall } from '@barfinex/service-kit';
import type { Cli } from './args';

const VERSION = '0.1.0';

/**
 * `barfinex mcp`: the provider's MCP server over stdio (MCP specification 2025-06-18, "Transports":
 * stdio), for agents that start their tools as processes. The tools are generated from the
 * provider's OpenAPI document and call its REST API with this token, so scopes, limits and the
 * audit trail apply exactly as for any other client. Nothing but protocol messages goes to stdout.
 */
export async function runMcp(cli: Cli): Promise<number> {
  const call = httpRestCall(cli.url, cli.token);
  const who = await call({ method: 'get', path: '/auth/whoami' });
  if (who.status !== 200)
    throw new Error(`the provider refused the token (${who.status}): ${JSON.stringify(who.body)}`);
  const docRes = await fetch(`${cli.url.replace(/\/$/, '')}/docs-json`);
  if (!docRes.ok) throw new Error(`cannot read the provider's OpenAPI document: ${docRes.status}`);
  const { scopes, name } = who.body as { scopes: ApiScope[]; name: string };
  const server = createMcpServer({
    openApi: await docRes.json(),
    call,
    canTrade: scopeGranted(scopes, 'trade'),
    actor: name,
    version: VERSION,
  });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.close();
  return 0;
}
