import { z } from 'zod';
import { AppError } from '@barfinex/contracts';
import { createHttpTransport } from './http';
import type { HttpTransport } from './http';
import type { AnyRoute, RouteInput, RouteResult } from './route-types';

export interface RequesterOptions {
  /** The provider's root, e.g. `http://127.0.0.1:8080` (the `/api` prefix is added). */
  baseUrl: string;
  token?: string;
  /** Bound on every call. Default 10 s. */
  timeoutMs?: number;
  /** Check each reply against the route's response schema. Default true. */
  validateResponses?: boolean;
  /** Extra headers on every call (e.g. a correlation id). */
  headers?: Readonly<Record<string, string>>;
}

export interface Requester {
  <D extends AnyRoute>(route: D, input?: RouteInput<D>): Promise<RouteResult<D>>;
  close(): void;
  readonly baseUrl: string;
}

type Schemaish = z.ZodType | { schema?: z.ZodType } | null | undefined;

function successSchema(route: AnyRoute): z.ZodType | undefined {
  const statuses = Object.keys(route.responses)
    .map(Number)
    .filter((s) => s >= 200 && s < 300)
    .sort((a, b) => a - b);
  for (const status of statuses) {
    const spec = route.responses[status] as Schemaish;
    if (spec instanceof z.ZodType) return spec;
    if (spec && typeof spec === 'object' && spec.schema instanceof z.ZodType) return spec.schema;
  }
  return undefined;
}

/** `/orders/:orderId` + `{ orderId }` → `/orders/abc%2F1`; a missing parameter is the caller's bug. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') {
      throw new AppError('BAD_REQUEST', `path parameter "${name}" is required for ${path}`, {
        details: { path, parameter: name },
      });
    }
    return encodeURIComponent(String(value));
  });
}

function dropUndefined(query: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!query) return undefined;
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
}

/** One typed call per route definition: the path, query and body go out as the route expects. */
export function createRequester(options: RequesterOptions): Requester {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const http: HttpTransport = createHttpTransport({
    baseURL: `${baseUrl}/api`,
    timeoutMs: options.timeoutMs ?? 10_000,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
  });
  const validate = options.validateResponses ?? true;

  const call = async (
    route: AnyRoute,
    input: { params?: unknown; query?: unknown; body?: unknown } = {},
  ): Promise<unknown> => {
    const url = fillPath(route.path, input.params as Record<string, unknown> | undefined);
    const { data } = await http.request({
      method: route.method,
      url,
      query: dropUndefined(input.query as Record<string, unknown> | undefined),
      ...(input.body === undefined ? {} : { body: input.body }),
    });
    const schema = validate ? successSchema(route) : undefined;
    if (!schema) return data;
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new AppError(
        'BAD_GATEWAY',
        `the provider's reply to ${route.method.toUpperCase()} ${route.path} does not match its contract`,
        {
          details: { issues: parsed.error.issues.slice(0, 10) },
        },
      );
    }
    return parsed.data;
  };
  return Object.assign(call as Requester, { close: () => http.close(), baseUrl });
}
