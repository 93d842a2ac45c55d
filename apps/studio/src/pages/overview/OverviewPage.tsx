import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { platformRoutes } from '@barfinex/contracts';
import type { EventName } from '@barfinex/events';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { errorText } from '../../lib/errors';
import { formatFixed, formatTime } from '../../lib/format';
import { OpenOrders } from '../market/OpenOrders';
import { KillSwitch } from './KillSwitch';
import { Positions } from './Positions';

const DECISION_EVENTS: EventName[] = [
  'DETECTOR_SIGNAL_GENERATED',
  'ADVISOR_DECISION_RESPONSE',
  'INSPECTOR_RISK_LIMIT_BREACH',
  'INSPECTOR_ENTRY_DECLINED',
  'INSPECTOR_TRADE_OUTCOME',
  'INSPECTOR_RISK_KILL_SWITCH',
];

interface Recent {
  eventId: string;
  type: string;
  symbol?: string | undefined;
  timestamp: number;
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: 'up' | 'down' | undefined }) {
  return (
    <div className="stat">
      <span className="muted">{label}</span>
      <span className={`v num ${tone ?? ''}`}>{value}</span>
    </div>
  );
}

export function OverviewPage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const dashboard = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => client.request(platformRoutes.dashboard, { query: { windowMinutes: 5 } }),
    refetchInterval: 10_000,
  });
  const apps = useQuery({ queryKey: ['registry'], queryFn: () => client.registry.list({ includeInactive: 'true' }) });
  const [recent, setRecent] = useState<Recent[]>([]);
  useLiveEvents(['PROVIDER_ORDER_CREATE', 'PROVIDER_ORDER_CLOSE', ...DECISION_EVENTS], undefined, (env) => {
    setRecent((r) =>
      [{ eventId: env.eventId, type: env.type, symbol: env.symbol, timestamp: env.timestamp }, ...r].slice(0, 50),
    );
  });
  const d = dashboard.data;
  const inspectors = (apps.data ?? []).filter((a) => a.appType === 'inspector' && a.status === 'registered');
  const pnl = d ? Number(d.trading.dailyPnl) : 0;

  return (
    <div className="grid overview-grid">
      <section className="card stack" aria-labelledby="acct-title">
        <h2 id="acct-title">Trading</h2>
        {dashboard.error ? <p className="error-box">{errorText(dashboard.error)}</p> : null}
        {d ? (
          <div className="grid" style={{ gridTemplateColumns: 'repeat(3, 1fr)' }}>
            <Stat label="Wallet balance" value={formatFixed(d.trading.walletBalanceTotal, 2)} />
            <Stat label="Available" value={formatFixed(d.trading.availableBalanceTotal, 2)} />
            <Stat
              label="Daily PnL"
              value={`${pnl >= 0 ? '+' : ''}${formatFixed(d.trading.dailyPnl, 2)}`}
              tone={pnl >= 0 ? 'up' : 'down'}
            />
            <Stat label="Unrealized PnL" value={formatFixed(d.trading.unrealizedPnl, 2)} />
            <Stat label="Exposure" value={formatFixed(d.trading.notionalExposure, 2)} />
            <Stat label="Open orders / positions" value={`${d.trading.openOrders} / ${d.trading.openPositions}`} />
          </div>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      <section className="card stack" aria-labelledby="infra-title">
        <h2 id="infra-title">Readiness</h2>
        {d ? (
          <table>
            <tbody>
              <tr>
                <td>Bus ({d.infrastructure.bus.transport})</td>
                <td>
                  {d.infrastructure.bus.connected ? (
                    <span className="badge ok">connected</span>
                  ) : (
                    <span className="badge bad">down</span>
                  )}
                </td>
              </tr>
              <tr>
                <td>Database ({d.infrastructure.database.kind})</td>
                <td>
                  {d.infrastructure.database.ok ? (
                    <span className="badge ok">ok</span>
                  ) : (
                    <span className="badge bad">down</span>
                  )}
                </td>
              </tr>
              <tr>
                <td>Event sink</td>
                <td>
                  {d.infrastructure.eventSink.enabled
                    ? `${d.infrastructure.eventSink.stored} stored, ${d.infrastructure.eventSink.buffered} buffered`
                    : 'off'}
                </td>
              </tr>
              <tr>
                <td>Events per minute</td>
                <td className="num">{d.events.perMinute.toFixed(1)}</td>
              </tr>
            </tbody>
          </table>
        ) : null}
        {d?.alerts.length ? (
          <ul>
            {d.alerts.map((a) => (
              <li key={a.code} className={a.severity === 'critical' ? 'down' : ''}>
                {a.message}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="card" aria-labelledby="apps-title">
        <h2 id="apps-title">Apps</h2>
        {apps.error ? <p className="error-box">{errorText(apps.error)}</p> : null}
        {apps.data?.length === 0 ? <p className="muted">No app has registered yet.</p> : null}
        <table data-testid="apps">
          <thead>
            <tr>
              <th>Type</th>
              <th>Key</th>
              <th>Status</th>
              <th>Last heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {(apps.data ?? []).map((a) => (
              <tr key={`${a.appType}/${a.appKey}`}>
                <td>{a.appType}</td>
                <td>{a.appKey}</td>
                <td>
                  {a.isActive ? (
                    <span className="badge ok">active</span>
                  ) : (
                    <span className="badge bad">{a.status === 'registered' ? 'silent' : 'gone'}</span>
                  )}
                </td>
                <td className="mono">{formatTime(a.lastHeartbeatAt, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {inspectors.map((i) => (
        <KillSwitch key={i.appKey} appKey={i.appKey} />
      ))}
      <Positions connectorType="sim" marketType="futures" />
      <OpenOrders connectorType="sim" marketType="futures" />
      <OpenOrders connectorType="sim" marketType="spot" />
      <section className="card" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent signals, decisions and verdicts</h2>
        {recent.length === 0 ? <p className="muted">Waiting for events…</p> : null}
        <table>
          <tbody>
            {recent.map((r) => (
              <tr key={r.eventId}>
                <td className="mono">{formatTime(r.timestamp, timeZone, false)}</td>
                <td>{r.type}</td>
                <td>{r.symbol ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export default OverviewPage;
