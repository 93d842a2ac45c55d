import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { scopeGranted } from '@barfinex/contracts';
import { createMcpServer, httpRestCall, jsonBody, presentedToken } from '@barfinex/service-kit';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/access-guard';
import type { Access } from '../auth/access.module';

export interface McpRouteDeps {
  access: Access;
  openApi: unknown;
  version: string;
  /** Where this provider answers itself (the tools call its REST API with the agent's token). */
  selfUrl: () => string;
}

/**
 * MCP over Streamable HTTP at `/mcp`, stateless (MCP specification 2025-06-18, "Transports":
 * Streamable HTTP; the SDK's `sessionIdGenerator: undefined` mode): each POST carries its own token
 * and gets its own server, so nothing outlives the request and a revoked token fails its next call.
 */
export function mcpRouter(deps: McpRouteDeps): Router {
  const router = Router();
  router.use(deps.access.deniedAuditHook, deps.access.tokenGuard, jsonBody({ limit: '256kb' }));
  router.all('/', async (req: Request, res: Response) => {
    const principal = principalOf(res);
    const presented = presentedToken({ headers: req.headers });
    if (!principal || !presented || !('token' in presented)) return;
    const correlation = res.getHeader('x-correlation-id');
    const server = createMcpServer({
      openApi: deps.openApi,
      call: httpRestCall(
        deps.selfUrl(),
        presented.token,
        typeof correlation === 'string' ? { 'x-correlation-id': correlation } : {},
      ),
      canTrade: scopeGranted(principal.scopes, 'trade'),
      actor: principal.name,
      version: deps.version,
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  return router;
}
