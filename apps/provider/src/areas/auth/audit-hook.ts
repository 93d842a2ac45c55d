import { createHash } from 'node:crypto';
import type { AuditRecord, RouteDefinition } from '@barfinex/contracts';
import type { Request, RequestHandler, Response } from 'express';
import type { NewAuditRecord } from './audit.repository';
import type { Principal } from './token-store';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const DENIALS = new Set([401, 403, 429]);

/** Every state-changing request, and every denied one, whatever the method. */
export const isAudited = (method: string, status: number): boolean => !READS.has(method) || DENIALS.has(status);

export const outcomeOf = (status: number): AuditRecord['outcome'] =>
  DENIALS.has(status) ? 'denied' : status >= 400 ? 'failed' : 'ok';

/** Body fields that name what a request acts on, kept beside the path parameters. */
const TARGET_FIELDS = [
  'id',
  'orderId',
  'clientOrderId',
  'symbol',
  'connectorType',
  'marketType',
  'key',
  'sysname',
  'appKey',
  'appType',
  'name',
] as const;

const PRINTABLE = /^[\x20-\x7e]{1,200}$/;

export function targetIdsOf(...parts: readonly unknown[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    if (typeof part !== 'object' || part === null || Array.isArray(part)) continue;
    const rec = part as Record<string, unknown>;
    const inner =
      typeof rec['order'] === 'object' && rec['order'] !== null ? (rec['order'] as Record<string, unknown>) : undefined;
    for (const field of TARGET_FIELDS) {
      const value = rec[field] ?? inner?.[field];
      // Printable ASCII only: ids and symbols are, and hostile input (NUL, broken Unicode) must not
      // reach a row the database would refuse.
      if ((typeof value === 'string' || typeof value === 'number') && PRINTABLE.test(String(value)))
        out[field] ??= String(value);
    }
  }
  return out;
}

/**
 * SHA-256 (hex) of the JSON body as parsed; null when there is none, or when it cannot be
 * serialised again (a body nested deeper than the edge allows was refused with a 400 already, and a
 * digest must never fail the request's record).
 */
export function bodyDigest(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return null;
  try {
    return createHash('sha256').update(JSON.stringify(body)).digest('hex');
  } catch {
    return null;
  }
}

const ROUTE = 'auditRoute';
// Noted as a function: only the requests that are recorded pay for collecting their targets.
const targetsNoted = (noted: unknown): Record<string, string> | undefined =>
  typeof noted === 'function'
    ? (noted as () => Record<string, string>)()
    : (noted as Record<string, string> | undefined);
const TARGETS = 'auditTargets';

/** What the typed router (or the proxy) knows of a request once it is routed: shown in its record. */
export function noteRoute(
  res: Response,
  route: { method: string; path: string; operationId?: string | undefined },
  targets?: Record<string, string> | (() => Record<string, string>),
): void {
  res.locals[ROUTE] = route;
  if (targets) res.locals[TARGETS] = targets;
}

/** Ids a route learns only by acting (the order a replacement created), added to its record. */
export function noteTargets(res: Response, extra: Record<string, string>): void {
  const noted: unknown = res.locals[TARGETS];
  res.locals[TARGETS] = () => ({ ...targetsNoted(noted), ...extra });
}

export function noteDefinition(res: Response, def: RouteDefinition): void {
  noteRoute(res, { method: def.method.toUpperCase(), path: def.path, operationId: def.operationId });
}

export interface AuditHookDeps {
  add: (record: NewAuditRecord) => void;
  now: () => number;
  principal: (res: Response) => Principal | undefined;
  /** A record that could not be built (logged; the request itself is answered already). */
  onError?: (err: unknown) => void;
  /** Record refusals only (the MCP endpoint: the REST calls its tools make are recorded themselves). */
  onlyDenied?: boolean;
}

/**
 * Writes exactly one audit record for each audited request, when its answer is finished (or the
 * connection closed first): mounted before the token guard, so refused requests are recorded too.
 */
export function auditHook(deps: AuditHookDeps): RequestHandler {
  return (req: Request, res: Response, next) => {
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      try {
        build();
      } catch (err) {
        deps.onError?.(err);
      }
    };
    const build = (): void => {
      const status = res.statusCode;
      if (deps.onlyDenied ? !DENIALS.has(status) : !isAudited(req.method, status)) return;
      const principal = deps.principal(res);
      const route = res.locals[ROUTE] as { method: string; path: string; operationId?: string } | undefined;
      const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
      const correlation = res.getHeader('x-correlation-id');
      deps.add({
        at: deps.now(),
        tokenId: principal?.tokenId ?? null,
        tokenName: principal?.name ?? null,
        method: req.method,
        route: route ? `${route.method} ${route.path}` : `${req.method} ${path}`,
        operationId: route?.operationId ?? null,
        path,
        targetIds: targetsNoted(res.locals[TARGETS]) ?? targetIdsOf(req.body),
        bodyDigest: bodyDigest(req.body),
        status,
        outcome: outcomeOf(status),
        correlationId: typeof correlation === 'string' ? correlation : null,
        clientAddress: req.ip ?? req.socket.remoteAddress ?? null,
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
