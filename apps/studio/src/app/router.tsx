import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

/** Studio lives under /studio/ on the provider; the bare origin (/) serves it too. */
export const BASE = '/studio';

function currentPath(): string {
  const path = window.location.pathname;
  const rest = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  return rest === '' || rest === '/' ? '/' : rest.replace(/\/+$/, '');
}

interface RouterValue {
  path: string;
  search: URLSearchParams;
  navigate(to: string): void;
}

const RouterContext = createContext<RouterValue | null>(null);

/** A small history router: pages are few and flat, so a library would add weight and nothing else. */
export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(() => ({ path: currentPath(), search: window.location.search }));
  useEffect(() => {
    const onPop = () => setLocation({ path: currentPath(), search: window.location.search });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    const url = `${BASE}${to.startsWith('/') ? to : `/${to}`}`;
    window.history.pushState(null, '', url);
    const [path, query] = to.split('?');
    setLocation({ path: path && path !== '' ? path : '/', search: query ? `?${query}` : '' });
  }, []);
  const value = useMemo(
    () => ({ path: location.path, search: new URLSearchParams(location.search), navigate }),
    [location, navigate],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

export function Link({
  to,
  children,
  className,
  ...rest
}: {
  to: string;
  children: ReactNode;
  className?: string;
  title?: string;
  'aria-current'?: 'page';
}) {
  const { navigate } = useRouter();
  return (
    <a
      href={`${BASE}${to}`}
      className={className}
      {...rest}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
