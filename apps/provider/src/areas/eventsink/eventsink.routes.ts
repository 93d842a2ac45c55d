import { buildPage, platformRoutes as r } from '@barfinex/contracts';
import { badRequest } from '@barfinex/service-kit';
import type { TypedRouter } from '../../http/typed-router';
import type { EventSinkRepository } from './eventsink.repository';

/** `GET /api/eventsink`: stored events, newest first, filters kept in the page links. */
export function registerEventSinkRoutes(t: TypedRouter, deps: { repo: EventSinkRepository }): void {
  t.add(r.eventsink, async ({ query }) => {
    const { page, limit, includePayload, ...filter } = query;
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      throw badRequest('Invalid range: "from" must be less than or equal to "to".', {
        from: filter.from,
        to: filter.to,
      });
    }
    const result = await deps.repo.page(filter, page, limit, includePayload);
    const data = result.rows.map(({ id: _id, ...row }) => row);
    return buildPage(data, result.total, {
      path: '/api/eventsink',
      page,
      limit,
      query: { ...filter, ...(includePayload ? {} : { includePayload: 'false' }) },
    });
  });
}
