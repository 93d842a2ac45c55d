import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolPath, toolsFromOpenApi } from './mcp-tools';
import { positionCapViolations } from './risk-check';
import type { McpTool } from './mcp-tools';

/** One call of the provider's REST API with the agent's own token: scopes, limits and audit as for any client. */
export type RestCall = (request: {
  method: string;
  path: string;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
}) => Promise<{ status: number; body: unknown }>;

export interface McpServerDeps {
  /** The provider's OpenAPI document (`/docs-json`): the tools are generated from it. */
  openApi: unknown;
  call: RestCall;
  /** Whether the agent's token holds `trade`: write tools then act unless asked for a dry run. */
  canTrade: boolean;
  version: string;
}

/** Tools that place or change orders: refused while an inspector's kill switch is engaged. */
const TRADING_TOOLS = new Set(['placeOrder', 'replaceOrder', 'leverage']);

const text = (value: unknown, isError = false): CallToolResult => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }],
  ...(isError ? { isError: true } : {}),
});

const RESOURCES = [
  {
    uri: 'barfinex://events/catalog',
    name: 'event-catalog',
    description: 'Every event name with its source and EN/RU descriptions',
    mimeType: 'application/json',
    path: '/ws/events/catalog',
    query: undefined,
  },
  {
    uri: 'barfinex://events/recent',
    name: 'recent-events',
    description: 'The 50 most recent events the event sink stored',
    mimeType: 'application/json',
    path: '/eventsink',
    query: { limit: 50 },
  },
] as const;

type Args = { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; dryRun?: unknown };

/**
 * The provider as an MCP server: every operation a tool, the event catalog and recent events as
 * resources. Calls go through the REST API with the agent's token, so a tool is refused exactly
 * when the REST call would be (401, 403 naming the scope, 429), and every write is audited.
 */
export function createMcpServer(deps: McpServerDeps): Server {
  const tools = toolsFromOpenApi(deps.openApi);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const server = new Server(
    { name: 'barfinex-provider', version: deps.version },
    { capabilities: { tools: {}, resources: {} } },
  );

  /** The active inspectors' keys; a string when they cannot be read (the token lacks read). */
  async function inspectors(): Promise<string[] | string> {
    const apps = await deps.call({ method: 'get', path: '/apps/registry' });
    if (apps.status !== 200)
      return `cannot check the kill switch (${apps.status}): a trading agent's token also needs read`;
    const list = (apps.body as { data?: Array<{ appType: string; appKey: string }> }).data ?? [];
    return list.filter((a) => a.appType === 'inspector').map((a) => a.appKey);
  }

  /** An inspector with its kill switch engaged stops agent trading, as it stops the platform's own. */
  async function killSwitchEngaged(keys?: string[] | string): Promise<string | undefined> {
    const found = keys ?? (await inspectors());
    if (typeof found === 'string') return found;
    for (const key of found) {
      const state = await deps.call({
        method: 'get',
        path: `/inspectors/${encodeURIComponent(key)}/inspector/kill-switch`,
      });
      if (state.status === 200 && (state.body as { active?: unknown }).active === true)
        return `the kill switch of inspector ${key} is engaged: trading is stopped`;
    }
    return undefined;
  }

  async function dryRun(tool: McpTool, args: Args): Promise<CallToolResult> {
    if (tool.name === 'placeOrder') {
      const check = await deps.call({ method: 'post', path: '/orders/validate', body: args.body });
      if (check.status >= 400)
        return text({ dryRun: true, placed: false, status: check.status, result: check.body }, true);
      // The risk side: an engaged kill switch, and the inspectors' position caps at the order's price.
      const keys = await inspectors();
      const stopped = await killSwitchEngaged(keys);
      const caps =
        typeof keys === 'string'
          ? []
          : await positionCapViolations(deps.call, keys, (check.body as { order?: unknown } | null)?.order);
      const refusedBy = [...(stopped ? [stopped] : []), ...caps];
      return text(
        {
          dryRun: true,
          placed: false,
          status: check.status,
          result: check.body,
          ...(refusedBy.length > 0 ? { refusedBy: refusedBy.join('; ') } : {}),
        },
        refusedBy.length > 0,
      );
    }
    return text({
      dryRun: true,
      changed: false,
      wouldCall: `${tool.method.toUpperCase()} /api${toolPath(tool, args.params)}`,
      query: args.query,
      body: args.body,
    });
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) return text(`unknown tool ${request.params.name}`, true);
    const args = (request.params.arguments ?? {}) as Args;
    try {
      if (tool.write && (typeof args.dryRun === 'boolean' ? args.dryRun : !deps.canTrade))
        return await dryRun(tool, args);
      if (TRADING_TOOLS.has(tool.name)) {
        const stopped = await killSwitchEngaged();
        if (stopped) return text({ error: { code: 'KILL_SWITCH', message: stopped } }, true);
      }
      const answer = await deps.call({
        method: tool.method,
        path: toolPath(tool, args.params),
        query: args.query,
        body: args.body,
      });
      return text({ status: answer.status, body: answer.body }, answer.status >= 400);
    } catch (err) {
      return text(err instanceof Error ? err.message : String(err), true);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: RESOURCES.map(({ uri, name, description, mimeType }) => ({ uri, name, description, mimeType })),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const resource = RESOURCES.find((r) => r.uri === request.params.uri);
    if (!resource) throw new Error(`unknown resource ${request.params.uri}`);
    const answer = await deps.call({ method: 'get', path: resource.path, query: resource.query });
    if (answer.status !== 200)
      throw new Error(`reading ${resource.uri} failed with ${answer.status}: ${JSON.stringify(answer.body)}`);
    return { contents: [{ uri: resource.uri, mimeType: resource.mimeType, text: JSON.stringify(answer.body) }] };
  });

  return server;
}

/** A RestCall over HTTP to a provider at `baseUrl` (no trailing `/api`) with `token`. */
export function httpRestCall(baseUrl: string, token: string, extraHeaders: Record<string, string> = {}): RestCall {
  return async ({ method, path, query, body }) => {
    const url = new URL(`${baseUrl.replace(/\/$/, '')}/api${path}`);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const res = await fetch(url, {
      method: method.toUpperCase(),
      headers: {
        authorization: `Bearer ${token}`,
        ...extraHeaders,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const raw = await res.text();
    let parsed: unknown = raw;
    try {
      parsed = raw ? JSON.parse(raw) : null;
    } catch {
      // Not JSON (a proxied app's own answer): kept as text.
    }
    return { status: res.status, body: parsed };
  };
}
