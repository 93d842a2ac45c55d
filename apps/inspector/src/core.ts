import type { Bus, Subscription } from '@barfinex/bus';
import type { PrismaClient, Quarantine } from '@barfinex/db';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import type { EventEnvelope } from '@barfinex/events';
import type { ProviderClient } from '@barfinex/sdk';
import { isAppError } from '@barfinex/service-kit';
import type { Logger } from 'pino';
import { readAccount, readFunds } from './orders/account';
import { createInstrumentCache } from './orders/instruments';
import { createOrderGateway } from './orders/order-gateway';
import { createPriceFeed } from './orders/prices';
import { policiesFromProviderConfig } from './policies/from-provider-config';
import { createPositionManager } from './positions/position-manager';
import type { PositionRecord } from './positions/position-record';
import { createProtection } from './positions/protection';
import { createAuditor } from './risk/auditor';
import { createKillSwitch } from './risk/kill-switch';
import { createOrderCheck } from './risk/order-check';
import { createRiskGate, intentToEntry, requestToEntry } from './risk/risk-gate';
import { createRiskState } from './risk/risk-state';
import type { AuditRecord } from './store/audit-record';
import { createInspectorRepository } from './store/inspector.repository';

export interface InspectorCoreDeps {
  prisma: PrismaClient;
  bus: Bus;
  provider: ProviderClient;
  logger: Logger;
  now: () => number;
  appKey: string;
  account: { connectorType: ConnectorType; marketType: MarketType; quoteAsset: string };
  /** Where stored rows that no longer validate are moved (the app's, which logs them). */
  quarantine?: Quarantine;
  /** Each new risk decision (entries, exits, kill switch changes), for the app's counters. */
  onDecision?: (entry: AuditRecord) => void;
}

/** Everything the inspector decides and does, without HTTP: what the app wires and the specs drive. */
export function createInspectorCore(deps: InspectorCoreDeps) {
  const { bus, provider, logger, now, appKey } = deps;
  const repo = createInspectorRepository(deps.prisma, appKey, deps.quarantine);
  const gateway = createOrderGateway(provider);
  const instruments = createInstrumentCache(provider);
  const prices = createPriceFeed({ bus, provider });
  const account = () => readAccount(provider, deps.account, deps.account.quoteAsset);
  const state = createRiskState({
    repo,
    now,
    initialPolicies: async () => {
      try {
        const parsed = policiesFromProviderConfig(await provider.inspectors.get(appKey));
        if ('policies' in parsed) return parsed.policies;
        logger.warn({ error: parsed.error }, 'the provider inspector config has invalid limits; using the defaults');
      } catch (err) {
        if (!isAppError(err) || err.code !== 'NOT_FOUND')
          logger.warn({ err }, 'could not read the provider inspector config; using the defaults');
      }
      return undefined;
    },
  });
  const auditor = createAuditor({
    repo,
    bus,
    appKey,
    logger,
    ...(deps.onDecision ? { onDecision: deps.onDecision } : {}),
  });
  const protection = createProtection({ gateway, instruments, appKey, levels: () => state.policies() });

  async function publishOutcome(
    p: PositionRecord,
    n: { rMultiple?: string; pnlPct: string; isWin: boolean },
  ): Promise<void> {
    if (!p.entryPrice || !p.exitPrice || p.pnl === undefined) return;
    const ids = Object.fromEntries(
      Object.entries({
        intentId: p.intentId,
        decisionId: p.decisionId,
        signalId: p.signalId,
        detectorKey: p.detectorKey,
        rMultiple: n.rMultiple,
      }).filter(([, v]) => v !== undefined),
    );
    await bus.publish(
      'INSPECTOR_TRADE_OUTCOME',
      {
        symbol: p.symbol,
        side: p.side,
        pnl: p.pnl,
        pnlPct: n.pnlPct,
        fees: p.fees,
        quantity: p.filledQuantity,
        entryPrice: p.entryPrice,
        exitPrice: p.exitPrice,
        openedAt: p.openedAt ?? p.createdAt,
        closedAt: p.closedAt ?? now(),
        isWin: n.isWin,
        exitReason: p.exitReason ?? 'exit',
        positionId: p.id,
        connectorType: p.connectorType,
        marketType: p.marketType,
        ...ids,
      },
      auditor.meta({
        ...(p.correlationId ? { correlationId: p.correlationId } : {}),
        ...(p.causationId ? { causationId: p.causationId } : {}),
      }),
    );
  }

  // A closed trade is announced; the gate hears the announcement (below) and may trip the kill switch.
  const manager = createPositionManager({
    repo,
    gateway,
    protection,
    logger,
    now,
    report: { closed: publishOutcome, orderFailed: auditor.events.orderFailed },
  });
  const killSwitch = createKillSwitch({ state, auditor, manager, bus, logger, now });
  const market = {
    account,
    instruments,
    funds: (m: { connectorType: ConnectorType; marketType: MarketType }) => readFunds(provider, m, deps.account),
    quoteAsset: deps.account.quoteAsset,
    price: prices.price,
  };
  const riskGate = createRiskGate({ repo, state, auditor, killSwitch, manager, market, ctx: { appKey, now, logger } });
  const orderCheck = createOrderCheck({ state, auditor, market, ctx: { now } });

  /**
   * Durable consumers: intents, detector requests, order events and this inspector's own trade
   * outcomes wait in JetStream while the app is down. Prices are live only.
   */
  async function subscribe(ready: Promise<unknown>): Promise<Subscription[]> {
    const durable = `inspector-${appKey.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const after =
      <E extends EventEnvelope>(fn: (env: E) => Promise<void>) =>
      async (env: E) => {
        await ready;
        await fn(env);
      };
    await prices.start();
    const feed: Subscription = { unsubscribe: () => prices.stop() };
    // Instrument filters are read once, before the first entry needs them (not on its path).
    instruments.warm(deps.account.connectorType, deps.account.marketType);
    const outcomes = async (env: EventEnvelope<'INSPECTOR_TRADE_OUTCOME'>): Promise<void> => {
      const p = env.payload;
      if (env.key !== appKey || p.positionId === undefined) return;
      await riskGate.afterOutcome({
        id: p.positionId,
        symbol: p.symbol,
        ...(env.correlationId ? { correlationId: env.correlationId } : {}),
      });
    };
    return Promise.all([
      feed,
      bus.subscribe('INSPECTOR_TRADE_OUTCOME', after(outcomes), { durable }),
      bus.subscribe(
        'ADVISOR_EXECUTION_INTENT_OPEN',
        after((env) => riskGate.entry(intentToEntry(env.payload), env)),
        { durable },
      ),
      bus.subscribe(
        'DETECTOR_POSITION_OPEN_REQUEST',
        after((env) => riskGate.entry(requestToEntry(env.payload), env)),
        { durable },
      ),
      bus.subscribe(
        'DETECTOR_POSITION_CLOSE_REQUEST',
        after((env) => riskGate.exitRequest('close', env.payload, env)),
        { durable },
      ),
      bus.subscribe(
        'DETECTOR_POSITION_REDUCE_REQUEST',
        after((env) => riskGate.exitRequest('reduce', env.payload, env)),
        { durable },
      ),
      bus.subscribe(
        'DETECTOR_POSITION_FLIP_REQUEST',
        after((env) => riskGate.exitRequest('flip', env.payload, env)),
        { durable },
      ),
      bus.subscribe(
        'PROVIDER_ORDER_FILL',
        after((env) => manager.onFill(env.payload)),
        { durable },
      ),
      bus.subscribe(
        'PROVIDER_ORDER_CLOSE',
        after((env) => manager.onOrderClosed(env.payload)),
        { durable },
      ),
    ]);
  }

  return { repo, state, gate: riskGate, orderCheck, manager, killSwitch, account, subscribe };
}

export type InspectorCore = ReturnType<typeof createInspectorCore>;
