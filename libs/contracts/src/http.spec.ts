import { z } from 'zod';
import { ErrorBodySchema, PaginationQuerySchema, buildPage, createPaginationQuery, paginated } from './http';

describe('pagination query', () => {
  it('defaults page 1 and limit 100, coercing query strings', () => {
    expect(PaginationQuerySchema.parse({})).toEqual({ page: 1, limit: 100 });
    expect(PaginationQuerySchema.parse({ page: '3', limit: '50' })).toEqual({ page: 3, limit: 50 });
    expect(createPaginationQuery(1000).parse({})).toEqual({ page: 1, limit: 1000 });
  });

  it.each([
    [{ page: '0' }, /page must be 1 or more/],
    [{ limit: '0' }, /limit must be at least 1/],
    [{ limit: '1001' }, /limit must be at most 1000/],
    [{ page: 'abc' }, /page must be a whole number/],
    [{ limit: '2.5' }, /limit must be a whole number/],
  ])('rejects %j', (query, message) => {
    const result = PaginationQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});

describe('paginated responses', () => {
  const Page = paginated(z.object({ id: z.string() }));

  it('builds links that keep filters and validates against the schema', () => {
    const page = buildPage([{ id: 'a' }], 250, {
      path: '/api/eventsink',
      page: 2,
      limit: 100,
      query: { category: 'order', page: 9 },
    });
    expect(page.links).toEqual({
      self: '/api/eventsink?category=order&page=2&limit=100',
      first: '/api/eventsink?category=order&page=1&limit=100',
      last: '/api/eventsink?category=order&page=3&limit=100',
      next: '/api/eventsink?category=order&page=3&limit=100',
      prev: '/api/eventsink?category=order&page=1&limit=100',
    });
    expect(Page.parse(page)).toEqual(page);
  });

  it('has no next on the last page and one page when empty', () => {
    const empty = buildPage([], 0, { path: '/x', page: 1, limit: 10 });
    expect(empty.links.last).toBe('/x?page=1&limit=10');
    expect(empty.links.next).toBeUndefined();
    expect(empty.links.prev).toBeUndefined();
  });
});

describe('ErrorBodySchema', () => {
  it('accepts the house error body', () => {
    expect(ErrorBodySchema.parse({ error: { code: 'NOT_FOUND', message: 'Order not found' } })).toBeDefined();
    expect(ErrorBodySchema.safeParse({ message: 'x' }).success).toBe(false);
  });
});
