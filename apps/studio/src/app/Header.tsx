import { useWhoAmI } from './access';
import { Menu } from './Menu';
import { Link, useRouter } from './router';
import { findPage, navItems } from './pages';
import type { PageEntry } from './pages';
import { useSession } from './session';
import { useSettings } from './settings';
import { zoneLabel } from '../lib/format';

function PageLink({ page, current }: { page: PageEntry; current: PageEntry | undefined }) {
  return (
    <Link to={page.path} className="navlink" {...(current === page ? { 'aria-current': 'page' as const } : {})}>
      {page.title}
    </Link>
  );
}

/**
 * The pages: each page used all day is a link of its own, the rest sit in menus (Integrations,
 * Admin), so the bar keeps one line from 1024 px up. A narrower window folds them all into one
 * "Pages" menu, with each group's pages under its name.
 */
function PagesNav() {
  const { path } = useRouter();
  const current = findPage(path);
  return (
    <nav aria-label="Pages" className="pages-nav">
      <Menu
        id="nav-pages"
        className="nav-fold"
        label={current?.title ?? 'Pages'}
        ariaLabel={`Pages${current ? `: ${current.title}` : ''}`}
        title="All pages"
      >
        <ul className="nav-list">
          {navItems().map((item) =>
            item.kind === 'link' ? (
              <li key={item.page.path}>
                <PageLink page={item.page} current={current} />
              </li>
            ) : (
              <li key={item.title}>
                <Menu
                  id={`nav-${item.title.toLowerCase()}`}
                  className="nav-group"
                  label={item.title}
                  current={item.pages.includes(current as PageEntry)}
                >
                  <span className="menu-heading">{item.title}</span>
                  <ul>
                    {item.pages.map((page) => (
                      <li key={page.path}>
                        <PageLink page={page} current={current} />
                      </li>
                    ))}
                  </ul>
                </Menu>
              </li>
            ),
          )}
        </ul>
      </Menu>
    </nav>
  );
}

/**
 * Who is signed in and what the token may do (a token without any write scope is marked read-only
 * in the bar), every time in local time or UTC, the theme, and signing out.
 */
function SessionMenu() {
  const who = useWhoAmI();
  const { theme, setTheme, timeZone, setTimeZone } = useSettings();
  const { signOut } = useSession();
  const scopes = who?.effectiveScopes ?? [];
  const readOnly = who !== undefined && scopes.every((s) => s === 'read');
  return (
    <Menu
      id="session-menu"
      className="session-menu"
      label={
        <>
          Session
          {readOnly ? (
            <span className="badge" data-testid="read-only">
              read-only
            </span>
          ) : null}
        </>
      }
      title={`Signed in${who ? ` as ${who.name}` : ''}: the token's scopes, times, theme, sign out`}
    >
      <p className="muted" data-testid="session-scopes">
        Token {who ? <strong>{who.name}</strong> : '…'}
        {who ? `: ${scopes.join(', ')}` : null}
      </p>
      <button
        type="button"
        className="ghost"
        onClick={() => setTimeZone(timeZone === 'utc' ? 'local' : 'utc')}
        title="Every time on every page: local time or UTC"
      >
        Times: {timeZone === 'utc' ? 'UTC · show local' : `local (${zoneLabel(timeZone)}) · show UTC`}
      </button>
      <button type="button" className="ghost" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
        {theme === 'dark' ? 'Light' : 'Dark'} theme
      </button>
      <button type="button" className="ghost" onClick={() => signOut()}>
        Sign out
      </button>
    </Menu>
  );
}

export function Header() {
  return (
    <header className="topbar">
      <span className="brand">
        Barfinex <span className="brand-tail">Studio</span>
      </span>
      <PagesNav />
      <span className="spacer" />
      <span className="ws-state" title="Live connection to the provider">
        <span className="dot" /> live
      </span>
      <SessionMenu />
    </header>
  );
}
