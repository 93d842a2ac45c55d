import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolPath, toolsFromOpenApi } from './mcp-tools';
import { agentOrderId, inspectorRefusals, orderFields, orderTerms, replacementTerms } from './risk-check';
import type { RiskAnswer, RiskRefusal } from './risk-check';
import type { McpTool } from './mcp-tools';
import type { OrderRiskCheck } from '@barfinex/contracts';

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
  /** Who the agent is (its token's name): the inspectors keep it with their decision on its orders. */
  actor?: string;
  version: string;
}

/** Tools that place an order: judged by every active inspector first, as a dry run and live. */
const ORDER_TOOLS = new Set(['placeOrder', 'replaceOrder']);
const ORDER_GATE =
  "The order is first judged by every active inspector's kill switch and risk policies (a dry run only asks); a refusal comes back with each inspector's policy and reason, and nothing is placed";

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
      return `cannot check the inspectors' kill switch and risk policies (${apps.status}): a trading agent's token also needs read`;
    const list = (apps.body as { data?: Array<{ appType: string; appKey: string }> }).data ?? [];
    return list.filter((a) => a.appType === 'inspector').map((a) => a.appKey);
  }

  /** An inspector with its kill switch engaged stops agent trading, as it stops the platform's own. */
  async function killSwitchEngaged(): Promise<string | undefined> {
    const found = await inspectors();
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

  /**
   * The order an order tool would place, with the client order id it will carry (one is minted
   * when the agent gave none, and the tool's body carries it too); undefined when there is none to
   * judge (no inspector, or terms the REST call will refuse by itself).
   */
  async function orderOf(tool: McpTool, args: Args): Promise<{ terms: OrderRiskCheck; args: Args } | undefined> {
    const changes = orderFields(args.body);
    // A client order id the agent gave is kept as given (a bad one is the REST call's to refuse).
    const clientOrderId = changes?.['clientOrderId'] ?? agentOrderId();
    const extra = { clientOrderId, actor: deps.actor };
    let terms: OrderRiskCheck | undefined;
    if (tool.name === 'placeOrder') terms = orderTerms(changes, extra);
    else {
      const current = await deps.call({ method: 'get', path: toolPath(tool, args.params) });
      terms = current.status === 200 ? replacementTerms(current.body, changes, extra) : undefined;
    }
    if (!terms) return undefined;
    const body = changes === args.body ? { ...changes, clientOrderId } : { order: { ...changes, clientOrderId } };
    return { terms, args: { ...args, body } };
  }

  /** What the active inspectors say of an order tool's order (no refusals: it may go), and the tool's arguments to send. */
  async function judged(
    tool: McpTool,
    args: Args,
    live: boolean,
  ): Promise<RiskAnswer & { args: Args; clientOrderId?: string }> {
    const keys = await inspectors();
    if (typeof keys === 'string') return { refusals: [{ inspector: '', policy: 'read', reason: keys }], args };
    if (keys.length === 0) return { refusals: [], args };
    const order = await orderOf(tool, args);
    if (!order) return { refusals: [], args };
    const answer = await inspectorRefusals(deps.call, keys, order.terms, live);
    return {
      ...answer,
      args: order.args,
      ...(order.terms.clientOrderId ? { clientOrderId: order.terms.clientOrderId } : {}),
    };
  }

  const refusalText = (refusals: RiskRefusal[]) => refusals.map((r) => r.reason).join('; ');

  async function dryRun(tool: McpTool, args: Args): Promise<CallToolResult> {
    if (!ORDER_TOOLS.has(tool.name))
      return text({
        dryRun: true,
        changed: false,
        wouldCall: `${tool.method.toUpperCase()} /api${toolPath(tool, args.params)}`,
        query: args.query,
        body: args.body,
      });
    // The venue's side (body, connector, filters at the last price), then the risk side.
    const check =
      tool.name === 'placeOrder'
        ? await deps.call({ method: 'post', path: '/orders/validate', body: args.body })
        : undefined;
    if (check && check.status >= 400)
      return text({ dryRun: true, placed: false, status: check.status, result: check.body }, true);
    const risk = await judged(tool, args, false);
    const refusals = 'denied' in risk ? [] : risk.refusals;
    const refused = 'denied' in risk || refusals.length > 0;
    return text(
      {
        dryRun: true,
        placed: false,
        ...(check
          ? { status: check.status, result: check.body }
          : { wouldCall: `PUT /api${toolPath(tool, args.params)}` }),
        ...('denied' in risk
          ? { refusedBy: `the risk check was refused (${risk.denied.status})`, denied: risk.denied }
          : {}),
        ...(refusals.length > 0 ? { refusedBy: refusalText(refusals), refusals } : {}),
      },
      refused,
    );
  }

  /** A live order tool: every active inspector's gate first; a refusal is returned, nothing placed. */
  async function gated(tool: McpTool, args: Args): Promise<CallToolResult | Args> {
    const risk = await judged(tool, args, true);
    if ('denied' in risk) return text({ status: risk.denied.status, body: risk.denied.body }, true);
    if (risk.refusals.length === 0) return risk.args;
    const stopped = risk.refusals.some((r) => r.policy === 'killSwitch');
    return text(
      {
        error: {
          code: stopped ? 'KILL_SWITCH' : 'RISK_REFUSED',
          message: `order not placed: ${refusalText(risk.refusals)}`,
          details: { refusals: risk.refusals, ...(risk.clientOrderId ? { clientOrderId: risk.clientOrderId } : {}) },
        },
      },
      true,
    );
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((t) => ({
      name: t.name,
      description: ORDER_TOOLS.has(t.name) ? `${t.description}. ${ORDER_GATE}` : t.description,
      inputSchema: t.inputSchema,
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) return text(`unknown tool ${request.params.name}`, true);
    const args = (request.params.arguments ?? {}) as Args;
    try {
      if (tool.write && (typeof args.dryRun === 'boolean' ? args.dryRun : !deps.canTrade))
        return await dryRun(tool, args);
      let send = args;
      if (ORDER_TOOLS.has(tool.name)) {
        const passed = await gated(tool, args);
        if ('content' in passed) return passed;
        send = passed;
      } else if (tool.name === 'leverage') {
        const stopped = await killSwitchEngaged();
        if (stopped) return text({ error: { code: 'KILL_SWITCH', message: stopped } }, true);
      }
      const answer = await deps.call({
        method: tool.method,
        path: toolPath(tool, send.params),
        query: send.query,
        body: send.body,
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
