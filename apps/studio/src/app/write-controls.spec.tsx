import { screen } from '@testing-library/react';
import type { ApiScope } from '@barfinex/contracts';
import type { ReactElement } from 'react';
import { BacktestForm } from '../pages/backtests/BacktestForm';
import { Jobs } from '../pages/events/Jobs';
import { KillSwitch } from '../pages/overview/KillSwitch';
import { DetectorCard } from '../pages/strategies/DetectorCard';
import { StrategiesPage } from '../pages/strategies/StrategiesPage';
import { renderSignedIn } from '../testing/session';

// Each page's write controls, with the scope their routes declare. A token without it sees them
// disabled with the scope named; with it (or admin) they work.
const detector = {
  name: 'ema-cross',
  status: 'active',
  enabled: true,
  params: { fast: 8 },
  paramsSchema: { type: 'object', properties: { fast: { type: 'integer' } } },
};
const apps = [{ appKey: 'inspector', appType: 'inspector', status: 'registered' }];
// The proxied app routes Studio reads, answered by path.
const request = async (route: { path: string }) => {
  if (route.path.endsWith('/kill-switch')) return { active: false };
  if (route.path.endsWith('/policies')) return { policies: {}, version: 3 };
  if (route.path.endsWith('/audit')) return { items: [] };
  throw new Error(`unexpected ${route.path}`);
};
const client = { request, registry: { list: async () => apps } };

const cases: { page: string; ui: ReactElement; buttons: (string | RegExp)[]; scope: ApiScope }[] = [
  { page: 'Overview', ui: <KillSwitch appKey="inspector" />, buttons: ['Trip kill switch…'], scope: 'killswitch' },
  {
    page: 'Strategies (detector)',
    ui: <DetectorCard appKey="detector" detector={detector} />,
    buttons: ['Save params', 'Disable'],
    scope: 'configure',
  },
  { page: 'Strategies (policies)', ui: <StrategiesPage />, buttons: ['Save policies'], scope: 'configure' },
  { page: 'Events', ui: <Jobs />, buttons: ['Start replay', 'Start backfill'], scope: 'configure' },
  {
    page: 'Backtests',
    ui: <BacktestForm onStarted={() => undefined} />,
    buttons: ['Run backtest'],
    scope: 'configure',
  },
];

describe.each(cases)('write controls on $page', ({ ui, buttons, scope }) => {
  it(`are disabled for a read-only token, naming "${scope}"`, async () => {
    renderSignedIn(ui, { scopes: ['read'], client });
    for (const name of buttons) {
      const button = (await screen.findByRole('button', { name })) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(button.title).toBe(`needs a token with the "${scope}" scope`);
    }
  });

  it(`carry no scope hint with "${scope}" or admin`, async () => {
    for (const scopes of [['read', scope], ['admin']] as ApiScope[][]) {
      const { unmount } = renderSignedIn(ui, { scopes, client });
      for (const name of buttons) expect(((await screen.findByRole('button', { name })) as HTMLElement).title).toBe('');
      unmount();
    }
  });

  it('stay disabled while the token is being checked', async () => {
    renderSignedIn(ui, { scopes: undefined, client: { ...client, request: () => new Promise(() => undefined) } });
    for (const name of buttons)
      expect(((await screen.findByRole('button', { name })) as HTMLButtonElement).disabled).toBe(true);
  });
});
