import { Suspense, useEffect } from 'react';
import { Header } from './Header';
import { useRouter } from './router';
import { HOME, findPage } from './pages';

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
