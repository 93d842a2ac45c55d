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
  /**
   * The navigation menu the page sits in ('Integrations', 'Admin'); without one it is a link of its
   * own in the bar. Pages used all day get their own link; the rest are grouped so the bar keeps
   * one line at 1024 px however many pages are added.
   */
  menu?: string;
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
  {
    path: '/hooks',
    title: 'Hooks',
    nav: true,
    menu: 'Integrations',
    component: lazy(() => import('../pages/hooks/HooksPage')),
  },
  {
    path: '/webhooks',
    title: 'Webhooks',
    nav: true,
    menu: 'Integrations',
    component: lazy(() => import('../pages/webhooks/WebhooksPage')),
  },
  {
    path: '/telegram',
    title: 'Telegram',
    nav: true,
    menu: 'Integrations',
    component: lazy(() => import('../pages/telegram/TelegramPage')),
  },
  {
    path: '/access',
    title: 'Access',
    nav: true,
    menu: 'Admin',
    component: lazy(() => import('../pages/access/AccessPage')),
  },
  {
    path: '/audit',
    title: 'Audit',
    nav: true,
    menu: 'Admin',
    component: lazy(() => import('../pages/audit/AuditPage')),
  },
];

/** One entry of the navigation bar: a page's own link, or a menu of pages. */
export type NavItem = { kind: 'link'; page: PageEntry } | { kind: 'menu'; title: string; pages: PageEntry[] };

/** The bar's entries in registry order; a menu stands where its first page is. */
export function navItems(entries: readonly PageEntry[] = pages): NavItem[] {
  const items: NavItem[] = [];
  for (const page of entries.filter((p) => p.nav)) {
    if (!page.menu) {
      items.push({ kind: 'link', page });
      continue;
    }
    const menu = items.find((i) => i.kind === 'menu' && i.title === page.menu);
    if (menu?.kind === 'menu') menu.pages.push(page);
    else items.push({ kind: 'menu', title: page.menu, pages: [page] });
  }
  return items;
}

/** Where `/` and unknown paths land. */
export const HOME = '/market';

export function findPage(path: string): PageEntry | undefined {
  return pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
}
