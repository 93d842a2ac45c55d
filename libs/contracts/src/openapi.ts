import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBodySchema } from './http';
import { removePatternFlags } from './openapi-pattern';
import type { ApiScope } from './scopes';

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
  /**
   * The scope a token needs for this operation (`admin` implies all). Required, so a route added
   * without one fails to compile: the typed router enforces it, the OpenAPI document lists it as
   * the operation's security requirement, and MCP tools generated from the route inherit it.
   */
  scope: ApiScope;
  /** The operation's name for generated clients; `defineRoutes` sets it from the route's key. */
  operationId?: string;
  /**
   * The route relays the request and the answer without parsing either (the proxy): the document
   * then declares any body in and any status and content out, not only the listed responses.
   */
  passThrough?: boolean;
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

/**
 * Names every route's operation after its key (`placeOrder`), so generated clients get stable,
 * meaningful method names; a route that names itself keeps its own.
 */
export function defineRoutes<const T extends Record<string, object>>(routes: T): T {
  // The constraint is `object`, not RouteDefinition: a contextual RouteDefinition would widen each
  // defineRoute's inferred params/query/body types, which clients derive their signatures from.
  return Object.fromEntries(
    Object.entries(routes as Record<string, RouteDefinition>).map(([key, route]) => [
      key,
      Object.freeze({ ...route, operationId: route.operationId ?? key }),
    ]),
  ) as T;
}

/** `/orders/:orderId` → `/orders/{orderId}`; Express 5 wildcards `/*splat` → `/{splat}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParamNames(openApiPath: string): string[] {
  return [...openApiPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
}

/** Names of Express 5 wildcards (`/*splat`): each spans one or more segments, slashes included. */
function wildcardNames(path: string): string[] {
  return [...path.matchAll(/\*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** `get /orders/{orderId}/fills` → `getOrdersByOrderIdFills`: for routes outside any named group. */
function derivedOperationId(route: RouteDefinition): string {
  const words = route.openApiPath
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      return param
        ? `By${capitalise(param)}`
        : segment
            .split(/[^A-Za-z0-9]+/)
            .map(capitalise)
            .join('');
    });
  return `${route.method}${words.join('')}`;
}

const WILDCARD_DESCRIPTION =
  'The rest of the path: one or more segments, slashes included (`signals/latest`). Send its slashes as they are; an encoded `%2F` reaches the target encoded.';

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

const ANY_CONTENT = { '*/*': { schema: {} } };

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'Invalid request',
  401: 'Missing or invalid API token',
  403: 'Forbidden: the token lacks the scope this operation needs (named in `error.details.requiredScope`), or its restriction excludes the target',
  404: 'Not found',
  409: 'Conflict',
  422: 'Rejected',
  429: 'Too many requests',
  502: 'Upstream failure',
  503: 'Unavailable',
  504: 'Upstream timed out',
};

/** `passThrough`: a success without a schema is whatever the target sends, in any media type. */
function responseFor(status: number, spec: ResponseSpec, passThrough = false): RouteConfig['responses'][string] {
  const description =
    (spec && !(spec instanceof z.ZodType) ? spec.description : undefined) ?? STATUS_TEXT[status] ?? 'Response';
  const schema = spec instanceof z.ZodType ? spec : (spec?.schema ?? (status >= 400 ? ErrorBodySchema : undefined));
  if (!schema) return passThrough ? { description, content: ANY_CONTENT } : { description };
  return { description, content: { 'application/json': { schema: docSchema(schema) } } };
}

function toRouteConfig(route: RouteDefinition): RouteConfig {
  const request = route.request ?? {};
  const names = pathParamNames(route.openApiPath);
  const declared = request.params ? Object.keys(request.params.shape) : [];
  const missing = names.filter((name) => !declared.includes(name));
  // OpenAPI requires a declared parameter for every `{name}` in a path; a route that leaves one
  // undeclared (the proxy's `{splat}`) gets it as a string.
  const params =
    missing.length === 0
      ? request.params
      : (request.params ?? z.object({})).extend(Object.fromEntries(missing.map((name) => [name, z.string()])));

  const responses: RouteConfig['responses'] = {};
  for (const [status, spec] of Object.entries(route.responses))
    responses[status] = responseFor(Number(status), spec, route.passThrough);
  const errors: number[] = [];
  if (params || request.query || request.body) errors.push(400);
  if (route.auth) errors.push(401, 403);
  if (names.length > 0) errors.push(404);
  for (const status of errors) responses[String(status)] ??= responseFor(status, null);

  const passBody = route.passThrough && route.method !== 'get';
  if (route.passThrough)
    responses['default'] = {
      description: 'Any other status, headers and body of the target, passed through unchanged',
      content: ANY_CONTENT,
    };
  return {
    method: route.method,
    path: route.openApiPath,
    operationId: route.operationId ?? derivedOperationId(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tags ? { tags: route.tags } : {}),
    // OpenAPI 3.1 lets a non-OAuth requirement list the roles it needs: here the one scope.
    security: route.auth ? [{ bearerAuth: [route.scope] }, { apiToken: [route.scope] }] : [],
    ...(route.auth ? { 'x-required-scope': route.scope } : {}),
    request: {
      ...(params ? { params } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.body ? { body: { content: { 'application/json': { schema: docSchema(request.body) } } } } : {}),
      ...(passBody
        ? { body: { required: false, description: 'Any body, relayed unparsed', content: ANY_CONTENT } }
        : {}),
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
  const operationIds = new Map<string, string>();
  for (const route of options.routes) {
    const key = `${route.method} ${route.openApiPath}`;
    if (seen.has(key)) throw new Error(`Route defined twice: ${key}`);
    seen.add(key);
    const config = toRouteConfig(route);
    const other = operationIds.get(config.operationId ?? '');
    if (other) throw new Error(`operationId ${config.operationId} used by both ${other} and ${key}`);
    operationIds.set(config.operationId ?? '', key);
    registry.registerPath(config);
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description ? { description: options.description } : {}),
    },
    servers: options.servers ?? [],
  });
  describeWildcards(document, options.routes);
  removePatternFlags(document);
  return document;
}

/** OpenAPI path templates stand for one segment; a wildcard parameter says that it spans several. */
function describeWildcards(document: OpenApiDocument, routes: readonly RouteDefinition[]): void {
  for (const route of routes) {
    const names = wildcardNames(route.path);
    if (names.length === 0) continue;
    const operation = document.paths?.[route.openApiPath]?.[route.method];
    for (const param of operation?.parameters ?? []) {
      if (!('name' in param) || param.in !== 'path' || !names.includes(param.name)) continue;
      param.description ??= WILDCARD_DESCRIPTION;
      Object.assign(param, { 'x-multi-segment': true });
    }
  }
}
