import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { TimeZoneMode } from '../lib/format';

export type Theme = 'dark' | 'light';

interface Settings {
  theme: Theme;
  timeZone: TimeZoneMode;
  setTheme(theme: Theme): void;
  setTimeZone(mode: TimeZoneMode): void;
}

const SettingsContext = createContext<Settings | null>(null);
const KEY = 'barfinex.studio.settings';

function load(): { theme: Theme; timeZone: TimeZoneMode } {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { theme?: unknown; timeZone?: unknown };
    return { theme: raw.theme === 'light' ? 'light' : 'dark', timeZone: raw.timeZone === 'utc' ? 'utc' : 'local' };
  } catch {
    return { theme: 'dark', timeZone: 'local' };
  }
}

/** Theme (dark by default) and time zone (local, or UTC) apply to every page and every timestamp. */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(load);
  useEffect(() => {
    document.documentElement.dataset['theme'] = state.theme;
    localStorage.setItem(KEY, JSON.stringify(state));
  }, [state]);
  const value = useMemo<Settings>(
    () => ({
      ...state,
      setTheme: (theme) => setState((s) => ({ ...s, theme })),
      setTimeZone: (timeZone) => setState((s) => ({ ...s, timeZone })),
    }),
    [state],
  );
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useSettings(): Settings {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings outside SettingsProvider');
  return value;
}

/** The chart colours follow the theme's CSS variables. */
export function themeColors(theme: Theme) {
  return theme === 'dark'
    ? {
        bg: '#12161c',
        text: '#c9d1d9',
        grid: '#222a33',
        up: '#26a69a',
        down: '#ef5350',
        upA: 'rgba(38,166,154,0.45)',
        downA: 'rgba(239,83,80,0.45)',
        accent: '#2962ff',
      }
    : {
        bg: '#ffffff',
        text: '#1f2328',
        grid: '#eaeef2',
        up: '#089981',
        down: '#d9363e',
        upA: 'rgba(8,153,129,0.4)',
        downA: 'rgba(217,54,62,0.4)',
        accent: '#2962ff',
      };
}
