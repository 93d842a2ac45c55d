import { Suspense, useEffect } from 'react';
import { Link, useRouter } from './router';
import { HOME, findPage, pages } from './pages';
import { useSession } from './session';
import { useSettings } from './settings';
import { zoneLabel } from '../lib/format';

function Header() {
  const { path } = useRouter();
  const { theme, setTheme, timeZone, setTimeZone } = useSettings();
  const { signOut } = useSession();
  return (
    <header className="topbar">
      <span className="brand">Barfinex Studio</span>
      <nav aria-label="Pages">
        {pages
          .filter((p) => p.nav)
          .map((p) => (
            <Link
              key={p.path}
              to={p.path}
              className="navlink"
              {...(findPage(path) === p ? { 'aria-current': 'page' as const } : {})}
            >
              {p.title}
            </Link>
          ))}
      </nav>
      <span className="spacer" />
      <span className="ws-state" title="Live connection to the provider">
        <span className="dot" /> live
      </span>
      <button
        type="button"
        className="ghost"
        onClick={() => setTimeZone(timeZone === 'utc' ? 'local' : 'utc')}
        title="Every time on every page: local time or UTC (click to switch)"
      >
        Times: {timeZone === 'utc' ? 'UTC' : `local (${zoneLabel(timeZone)})`}
      </button>
      <button type="button" className="ghost" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
        {theme === 'dark' ? 'Light' : 'Dark'} theme
      </button>
      <button type="button" className="ghost" onClick={() => signOut()}>
        Sign out
      </button>
    </header>
  );
}

export function App() {
  const { path, navigate } = useRouter();
  const page = findPage(path);
  useEffect(() => {
    if (!page) navigate(HOME);
  }, [page, navigate]);
  useEffect(() => {
    document.title = page ? `${page.title} · Barfinex Studio` : 'Barfinex Studio';
  }, [page]);
  const Page = page?.component;
  return (
    <div className="shell">
      <Header />
      <main>
        <Suspense fallback={<p className="muted">Loading…</p>}>{Page ? <Page /> : null}</Suspense>
      </main>
    </div>
  );
}
