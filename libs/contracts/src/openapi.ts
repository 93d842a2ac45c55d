import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBodySchema } from './http';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type ParamsSchema = z.ZodObject;
type ResponseSpec = z.ZodType | { description?: string; schema?: z.ZodType } | null;
export type ResponsesSpec = Record<number, ResponseSpec>;

export interface RouteSpec<
  P extends ParamsSchema | undefined = ParamsSchema | undefined,
  Q extends ParamsSchema | undefined = ParamsSchema | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends ResponsesSpec = ResponsesSpec,
> {
  method: HttpMethod;
  /** Express-style path relative to the server URL, e.g. `/orders/:orderId`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Defaults to true: every provider route is behind the token guard unless it opts out. */
  auth?: boolean;
  request?: { params?: P; query?: Q; body?: B };
  /** Status → schema; `null` for a response without a body (e.g. 204). */
  responses: R;
}

export type RouteDefinition<
  P extends ParamsSchema | undefined = ParamsSchema | undefined,
  Q extends ParamsSchema | undefined = ParamsSchema | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends ResponsesSpec = ResponsesSpec,
> = Readonly<RouteSpec<P, Q, B, R>> & { readonly openApiPath: string; readonly auth: boolean };

/**
 * One route's contract. Routers validate with `request.*` and the OpenAPI document is built
 * from the same object, so docs and validation cannot drift.
 */
export function defineRoute<
  P extends ParamsSchema | undefined = undefined,
  Q extends ParamsSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  const R extends ResponsesSpec = ResponsesSpec,
>(spec: RouteSpec<P, Q, B, R>): RouteDefinition<P, Q, B, R> {
  return Object.freeze({ ...spec, auth: spec.auth ?? true, openApiPath: toOpenApiPath(spec.path) });
}

/** `/orders/:orderId` → `/orders/{orderId}`; Express 5 wildcards `/*splat` → `/{splat}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParamNames(openApiPath: string): string[] {
  return [...openApiPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
}

const documentedAs = new WeakMap<z.ZodType, z.ZodType>();

/**
 * Documents `schema` as `doc` in OpenAPI. For schemas whose runtime form cannot be expressed
 * (preprocessing, e.g. a body accepted both bare and wrapped).
 */
export function withOpenApiSchema<S extends z.ZodType>(schema: S, doc: z.ZodType): S {
  documentedAs.set(schema, doc);
  return schema;
}

function docSchema(schema: z.ZodType): z.ZodType {
  return documentedAs.get(schema) ?? schema;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'Invalid request',
  401: 'Missing or invalid API token',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  422: 'Rejected',
  429: 'Too many requests',
  502: 'Upstream failure',
  503: 'Unavailable',
};

function responseFor(status: number, spec: ResponseSpec): RouteConfig['responses'][string] {
  const description = (spec && !(spec instanceof z.ZodType) ? spec.description : undefined) ?? STATUS_TEXT[status] ?? 'Response';
  const schema = spec instanceof z.ZodType ? spec : (spec?.schema ?? (status >= 400 ? ErrorBodySchema : undefined));
  if (!schema) return { description };
  return { description, content: { 'application/json': { schema: docSchema(schema) } } };
}

function toRouteConfig(route: RouteDefinition): RouteConfig {
  const request = route.request ?? {};
  const names = pathParamNames(route.openApiPath);
  const declared = request.params ? Object.keys(request.params.shape) : [];
  const missing = names.filter((name) => !declared.includes(name));
  // Every path placeholder must be a declared parameter, or the document is invalid.
  const params =
    missing.length === 0
      ? request.params
      : (request.params ?? z.object({})).extend(Object.fromEntries(missing.map((name) => [name, z.string()])));

  const responses: RouteConfig['responses'] = {};
  for (const [status, spec] of Object.entries(route.responses)) responses[status] = responseFor(Number(status), spec);
  const errors: number[] = [];
  if (params || request.query || request.body) errors.push(400);
  if (route.auth) errors.push(401);
  if (names.length > 0) errors.push(404);
  for (const status of errors) responses[String(status)] ??= responseFor(status, null);

  return {
    method: route.method,
    path: route.openApiPath,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tags ? { tags: route.tags } : {}),
    security: route.auth ? [{ bearerAuth: [] }, { apiToken: [] }] : [],
    request: {
      ...(params ? { params } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body ? { body: { content: { 'application/json': { schema: docSchema(request.body) } } } } : {}),
    },
    responses,
  };
}

export interface OpenApiDocumentOptions {
  title: string;
  version: string;
  description?: string;
  servers?: Array<{ url: string; description?: string }>;
  routes: readonly RouteDefinition[];
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** OpenAPI 3.1 document for the routes, with bearer and `x-api-token` security schemes. */
export function buildOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Provider API token as `Authorization: Bearer <token>`',
  });
  registry.registerComponent('securitySchemes', 'apiToken', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-token',
    description: 'Provider API token in the `x-api-token` header',
  });
  const seen = new Set<string>();
  for (const route of options.routes) {
    const key = `${route.method} ${route.openApiPath}`;
    if (seen.has(key)) throw new Error(`Route defined twice: ${key}`);
    seen.add(key);
    registry.registerPath(toRouteConfig(route));
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description ? { description: options.description } : {}),
    },
    servers: options.servers ?? [],
  });
}
