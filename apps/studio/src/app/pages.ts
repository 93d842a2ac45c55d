import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';

/**
 * The one list of Studio's pages: the router, the navigation bar and the code-splitting all read
 * it. To add a page, add an entry here (see apps/studio/README.md); each page is its own chunk.
 */
export interface PageEntry {
  /** URL below /studio, e.g. '/market'. */
  path: string;
  /** Navigation label. */
  title: string;
  /** Shown in the navigation bar (false for pages reached by links only). */
  nav: boolean;
  component: LazyExoticComponent<ComponentType>;
}

export const pages: readonly PageEntry[] = [
  { path: '/overview', title: 'Overview', nav: true, component: lazy(() => import('../pages/overview/OverviewPage')) },
  { path: '/market', title: 'Market', nav: true, component: lazy(() => import('../pages/market/MarketPage')) },
  {
    path: '/strategies',
    title: 'Strategies',
    nav: true,
    component: lazy(() => import('../pages/strategies/StrategiesPage')),
  },
  { path: '/lineage', title: 'Lineage', nav: true, component: lazy(() => import('../pages/lineage/LineagePage')) },
  {
    path: '/backtests',
    title: 'Backtests',
    nav: true,
    component: lazy(() => import('../pages/backtests/BacktestsPage')),
  },
  { path: '/optimize', title: 'Optimize', nav: true, component: lazy(() => import('../pages/optimize/OptimizePage')) },
  { path: '/events', title: 'Events', nav: true, component: lazy(() => import('../pages/events/EventsPage')) },
  { path: '/hooks', title: 'Hooks', nav: true, component: lazy(() => import('../pages/hooks/HooksPage')) },
  { path: '/webhooks', title: 'Webhooks', nav: true, component: lazy(() => import('../pages/webhooks/WebhooksPage')) },
  { path: '/telegram', title: 'Telegram', nav: true, component: lazy(() => import('../pages/telegram/TelegramPage')) },
  { path: '/access', title: 'Access', nav: true, component: lazy(() => import('../pages/access/AccessPage')) },
  { path: '/audit', title: 'Audit', nav: true, component: lazy(() => import('../pages/audit/AuditPage')) },
];

/** Where `/` and unknown paths land. */
export const HOME = '/market';

export function findPage(path: string): PageEntry | undefined {
  return pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
}
