import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, TimestampInput, UnixMs } from '../common';
import { createPaginationQuery, paginated } from '../http';
import { defineRoute, defineRoutes, withOpenApiSchema } from '../openapi';
import { OrderCreateFieldsSchema, OrderCreateRequestSchema } from '../order';
import { ApiScopeSchema } from '../scopes';
import { MarketTypeParam, SymbolParam } from './params';

const tags = (t: string) => [t];

/** Limits a token to part of the platform; an empty or missing list means no limit on that axis. */
export const TokenRestrictionSchema = z
  .object({
    connectors: z.array(ConnectorTypeSchema).max(20).optional(),
    markets: z.array(MarketTypeParam).max(10).optional(),
    symbols: z.array(SymbolParam).max(500).optional(),
  })
  .meta({
    id: 'TokenRestriction',
    description:
      'Only these connectors, markets and symbols: orders elsewhere are refused (403) and Socket.IO events of other symbols are not delivered',
  });
export type TokenRestriction = z.output<typeof TokenRestrictionSchema>;

/** The stored form, free of input transforms. */
export const TokenRestrictionViewSchema = z
  .object({
    connectors: z.array(ConnectorTypeSchema).optional(),
    markets: z.array(MarketTypeSchema).optional(),
    symbols: z.array(z.string()).optional(),
  })
  .meta({ id: 'TokenRestrictionView' });

export const TokenCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(ApiScopeSchema).min(1).max(5),
    expiresAt: TimestampInput.optional().meta({ description: 'Unix ms or ISO-8601; must lie in the future' }),
    restrict: TokenRestrictionSchema.optional(),
  })
  .meta({ id: 'TokenCreate' });
export type TokenCreate = z.output<typeof TokenCreateSchema>;

export const TokenViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(ApiScopeSchema),
    restrict: TokenRestrictionViewSchema.nullable(),
    createdAt: UnixMs,
    createdBy: z.string().nullable().meta({ description: 'Id of the token that created this one' }),
    expiresAt: UnixMs.nullable(),
    lastUsedAt: UnixMs.nullable().meta({ description: 'Recorded at most once a minute per token' }),
    revokedAt: UnixMs.nullable(),
  })
  .meta({ id: 'Token' });
export type TokenView = z.output<typeof TokenViewSchema>;

export const TokenCreatedSchema = TokenViewSchema.extend({
  secret: z.string().meta({
    description:
      'The token to send as `Authorization: Bearer <secret>`. Shown once: only its SHA-256 digest is stored.',
  }),
}).meta({ id: 'TokenCreated' });

export const WhoAmISchema = z
  .object({
    tokenId: z.string().meta({ description: '`bootstrap` for PROVIDER_API_TOKEN' }),
    name: z.string(),
    scopes: z.array(ApiScopeSchema).meta({ description: 'As granted' }),
    effectiveScopes: z.array(ApiScopeSchema).meta({ description: 'With admin expanded' }),
    restrict: TokenRestrictionViewSchema.nullable(),
    expiresAt: UnixMs.nullable(),
    operations: z.array(z.string()).meta({ description: 'operationIds of the OpenAPI document this token may call' }),
  })
  .meta({ id: 'WhoAmI' });
export type WhoAmI = z.output<typeof WhoAmISchema>;

export const AUDIT_OUTCOME_VALUES = ['ok', 'failed', 'denied'] as const;
export const AuditRecordSchema = z
  .object({
    id: z.string(),
    at: UnixMs,
    tokenId: z.string().nullable().meta({ description: 'null when no valid token was presented' }),
    tokenName: z.string().nullable(),
    method: z.string(),
    route: z
      .string()
      .meta({ description: 'The route pattern, e.g. `PUT /orders/:orderId`, or the path when no route matched' }),
    operationId: z.string().nullable(),
    path: z.string(),
    targetIds: z
      .record(z.string(), z.string())
      .meta({ description: 'Path parameters and ids named in the body (symbol, clientOrderId, ...)' }),
    bodyDigest: z
      .string()
      .nullable()
      .meta({ description: 'SHA-256 (hex) of the raw request body; null without a body' }),
    status: z.number().int(),
    outcome: z
      .enum(AUDIT_OUTCOME_VALUES)
      .meta({ description: 'denied: 401, 403 or 429; failed: any other status >= 400' }),
    correlationId: z.string().nullable(),
    clientAddress: z.string().nullable(),
  })
  .meta({ id: 'AuditRecord' });
export type AuditRecord = z.output<typeof AuditRecordSchema>;

export const AuditQuerySchema = createPaginationQuery(100).extend({
  tokenId: z.string().max(100).optional(),
  operationId: z.string().max(100).optional(),
  outcome: z.enum(AUDIT_OUTCOME_VALUES).optional(),
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']).optional(),
  from: TimestampInput.optional(),
  to: TimestampInput.optional(),
});
export type AuditQuery = z.output<typeof AuditQuerySchema>;

export const TokenRevokedSchema = z
  .object({ tokenId: z.string(), name: z.string(), revokedAt: UnixMs, revokedBy: z.string().nullable() })
  .meta({ id: 'TokenRevoked' });
export type TokenRevoked = z.output<typeof TokenRevokedSchema>;

export const OrderCheckSchema = z
  .object({
    valid: z.literal(true),
    order: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The order as it would be sent: fields normalised, nothing stored' }),
    checks: z
      .array(z.string())
      .meta({ description: 'What was checked: the body, the connector, the instrument filters at the last price' }),
  })
  .meta({ id: 'OrderCheck' });

const TokenIdParams = z.object({ id: z.string().min(1).max(100) });

/**
 * Access control, and what agents need beside it: `validateOrder` checks an order as `POST /orders`
 * would (body, connector, the venue's filters at the last price) and places nothing, so a dry run
 * needs only `read`.
 */
export const authRoutes = defineRoutes({
  createToken: defineRoute({
    method: 'post',
    scope: 'admin',
    path: '/auth/tokens',
    summary: 'Create a named token with scopes; the answer holds its secret, once',
    tags: tags('Access'),
    request: { body: TokenCreateSchema },
    responses: { 201: TokenCreatedSchema },
  }),
  listTokens: defineRoute({
    method: 'get',
    scope: 'admin',
    path: '/auth/tokens',
    summary: 'Tokens, newest first (never their secrets)',
    tags: tags('Access'),
    responses: { 200: z.array(TokenViewSchema) },
  }),
  revokeToken: defineRoute({
    method: 'delete',
    scope: 'admin',
    path: '/auth/tokens/:id',
    summary: 'Revoke a token at once, on every provider instance and open Socket.IO connection',
    tags: tags('Access'),
    request: { params: TokenIdParams },
    responses: { 200: TokenViewSchema, 404: null },
  }),
  whoami: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/auth/whoami',
    summary: 'The calling token: its scopes, restriction and the operations it may call',
    tags: tags('Access'),
    responses: { 200: WhoAmISchema },
  }),
  audit: defineRoute({
    method: 'get',
    scope: 'admin',
    path: '/audit',
    summary: 'Audit trail of every state-changing and every denied request, newest first',
    tags: tags('Access'),
    request: { query: AuditQuerySchema },
    responses: { 200: paginated(AuditRecordSchema) },
  }),
  validateOrder: defineRoute({
    method: 'post',
    scope: 'read',
    path: '/orders/validate',
    summary: 'Check an order against the body rules and the venue filters without placing it (dry run)',
    tags: tags('Orders'),
    request: { body: withOpenApiSchema(OrderCreateRequestSchema, OrderCreateFieldsSchema) },
    responses: { 200: OrderCheckSchema },
  }),
});
