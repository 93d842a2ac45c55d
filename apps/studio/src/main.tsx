import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './app/App';
import { RouterProvider } from './app/router';
import { SessionProvider, reportIfUnauthorized } from './app/session';
import { SettingsProvider } from './app/settings';
import { SignInPage } from './pages/signin/SignInPage';
import './styles.css';

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: reportIfUnauthorized }),
  mutationCache: new MutationCache({ onError: reportIfUnauthorized }),
  defaultOptions: {
    queries: {
      retry: (count, err) => count < 2 && !(err as { status?: number }).status,
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
  },
});

// A deploy replaces hashed chunks: reload once to pick up the new ones instead of failing.
window.addEventListener('vite:preloadError', () => window.location.reload());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <SettingsProvider>
        <QueryClientProvider client={queryClient}>
          <RouterProvider>
            <SessionProvider signIn={(done) => <SignInPage onSignedIn={done} />}>
              <App />
            </SessionProvider>
          </RouterProvider>
        </QueryClientProvider>
      </SettingsProvider>
    </StrictMode>,
  );
}
