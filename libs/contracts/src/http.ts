import { z } from 'zod';

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().min(1),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.output<typeof ErrorBodySchema>;

export const MAX_PAGE_LIMIT = 1000;

/** Query schema for `?page&limit`; query strings arrive as text, so values are coerced. */
export function createPaginationQuery(defaultLimit = 100) {
  return z.object({
    page: z.coerce
      .number({ error: 'page must be a whole number' })
      .int('page must be a whole number')
      .min(1, 'page must be 1 or more')
      .default(1),
    limit: z.coerce
      .number({ error: 'limit must be a whole number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_PAGE_LIMIT, `limit must be at most ${MAX_PAGE_LIMIT}`)
      .default(defaultLimit),
  });
}

export const PaginationQuerySchema = createPaginationQuery();
export type PaginationQuery = z.output<typeof PaginationQuerySchema>;

export const PageLinksSchema = z.object({
  self: z.string(),
  first: z.string(),
  last: z.string(),
  next: z.string().optional(),
  prev: z.string().optional(),
});
export type PageLinks = z.output<typeof PageLinksSchema>;

/** Response envelope for a list endpoint. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    total: z.number().int().nonnegative(),
    page: z.number().int().min(1),
    limit: z.number().int().min(1),
    links: PageLinksSchema,
  });
}

export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
  links: PageLinks;
}

/**
 * Builds a page with links that keep the caller's other query parameters (filters), so a client
 * can follow `next` without rebuilding the URL.
 */
export function buildPage<T>(
  data: T[],
  total: number,
  request: { path: string; page: number; limit: number; query?: Record<string, string | number | undefined> },
): Page<T> {
  const { path, page, limit } = request;
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const link = (p: number): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && key !== 'page' && key !== 'limit') params.set(key, String(value));
    }
    params.set('page', String(p));
    params.set('limit', String(limit));
    return `${path}?${params.toString()}`;
  };
  return {
    data,
    total,
    page,
    limit,
    links: {
      self: link(page),
      first: link(1),
      last: link(lastPage),
      ...(page < lastPage ? { next: link(page + 1) } : {}),
      ...(page > 1 ? { prev: link(Math.min(page - 1, lastPage)) } : {}),
    },
  };
}
