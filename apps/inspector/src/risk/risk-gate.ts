import { createHash } from 'node:crypto';
import type { ExecutionIntent, PositionRequest } from '@barfinex/contracts';
import type { ConnectorType, MarketType, TradeSide } from '@barfinex/enums';
import type { EventEnvelope } from '@barfinex/events';
import { conflict } from '@barfinex/service-kit';
import type { Logger } from 'pino';
import { Dec } from '../decimal';
import type { AccountView } from '../orders/account';
import type { InstrumentCache } from '../orders/instruments';
import { checkTradable } from '../orders/tradable';
import { checkDrawdown, drawdownPercent } from '../policies/drawdown';
import { decide, evaluateEntry } from '../policies/evaluate';
import type { RiskVerdict } from '../policies/evaluate';
import { fmt } from '../policies/types';
import type { PolicyCheck, RiskSnapshot } from '../policies/types';
import type { PositionManager } from '../positions/position-manager';
import { entryClientOrderId } from '../positions/position-record';
import type { PositionRecord } from '../positions/position-record';
import type { InspectorRepository } from '../store/inspector.repository';
import type { Auditor } from './auditor';
import type { KillSwitch } from './kill-switch';
import type { RiskState } from './risk-state';

export interface RiskGateDeps {
  repo: InspectorRepository;
  state: RiskState;
  auditor: Auditor;
  killSwitch: KillSwitch;
  manager: PositionManager;
  market: {
    account: () => Promise<AccountView>;
    /** Last traded price, or undefined when the provider has none. */
    price: (m: { connectorType: ConnectorType; marketType: MarketType; symbol: string }) => Promise<string | undefined>;
    instruments: InstrumentCache;
    /** Available balance per asset of the account an entry trades on, with the measured account's view when it is that one (one read). */
    funds: (m: {
      connectorType: ConnectorType;
      marketType: MarketType;
    }) => Promise<{ funds: Record<string, Dec>; account?: AccountView } | { refused: string }>;
    /** The asset margin is counted in when the venue does not say. */
    quoteAsset: string;
  };
  ctx: { appKey: string; now: () => number; logger: Logger };
}

/** What an entry asks for, whichever event carried it. */
export interface EntryRequest {
  dedupKey: string;
  origin: 'intent' | 'detector';
  symbol: string;
  side: TradeSide;
  connectorType: ConnectorType;
  marketType: MarketType;
  quantity?: string;
  notional?: string;
  entry?: string;
  stopLoss?: string;
  takeProfit?: string;
  expiresAt?: number;
  intentId?: string;
  decisionId?: string;
  signalId?: string;
  requestId?: string;
  detectorKey?: string;
}

/** A check that failed for a reason outside the policies (kill switch, no price, lot size, the account). */
export const fail = (
  policy: string,
  action: PolicyCheck['action'],
  reason: string,
  current = '0',
  limit = '0',
): PolicyCheck => ({ policy, passed: false, action, current, limit, reason });

const pick = <T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;

export const positionIdFor = (appKey: string, dedupKey: string) =>
  `ins${createHash('sha256').update(`${appKey}\n${dedupKey}`).digest('hex').slice(0, 16)}`;

export function intentToEntry(i: ExecutionIntent): EntryRequest {
  return { ...i, dedupKey: `intent:${i.idempotencyKey}`, origin: 'intent', side: i.side === 'BUY' ? 'LONG' : 'SHORT' };
}

export function requestToEntry(r: PositionRequest, side: TradeSide = r.side): EntryRequest {
  const { price, ...rest } = r;
  return {
    ...rest,
    side,
    dedupKey: `request:${r.requestId}:${side}`,
    origin: 'detector',
    ...(price ? { entry: price } : {}),
  };
}

/** The account figures a decision was made on, for its audit record. */
export function accountNumbers(s: RiskSnapshot): Record<string, string> {
  return {
    equity: s.equity.toFixed(),
    peakEquity: s.peakEquity.toFixed(),
    drawdownPct: fmt(drawdownPercent(s)),
    dailyPnl: s.dailyPnl.toFixed(),
    totalExposure: s.totalExposure.toFixed(),
    consecutiveLosses: String(s.consecutiveLosses),
    tradesToday: String(s.tradesToday),
  };
}

/** A kill switch that is on decides alone: nothing else is measured. */
export function killSwitchVerdict(state: RiskState): RiskVerdict | undefined {
  const ks = state.killSwitch();
  return ks.active
    ? decide([fail('killSwitch', 'BLOCK', `kill switch active: ${ks.reason ?? 'no reason given'}`, '1', '0')])
    : undefined;
}

/** The pre-trade gate: every entry is judged by the policies, audited, and only ALLOW reaches the provider. */
export function createRiskGate(deps: RiskGateDeps) {
  const { repo, state, auditor, market, ctx } = deps;

  async function judge(
    req: EntryRequest,
  ): Promise<{ verdict: RiskVerdict; numbers: Record<string, string>; quantity?: string }> {
    const stopped = killSwitchVerdict(state);
    if (stopped) return { verdict: stopped, numbers: {} };
    if (req.expiresAt !== undefined && req.expiresAt < ctx.now()) {
      return {
        verdict: decide([
          fail('expired', 'BLOCK', `intent expired at ${req.expiresAt}`, String(ctx.now()), String(req.expiresAt)),
        ]),
        numbers: {},
      };
    }
    const price = (await market.price(req).catch(() => undefined)) ?? req.entry;
    if (!price) return { verdict: decide([fail('price', 'BLOCK', `no price for ${req.symbol}`)]), numbers: {} };
    const instrument = await market.instruments.get(req.connectorType, req.marketType, req.symbol);
    const wanted = req.quantity ? new Dec(req.quantity) : new Dec(req.notional ?? 0).div(price);
    const qty = market.instruments.quantity(instrument, wanted);
    const notional = qty.times(price);
    const sizing = { price, quantity: qty.toFixed(), notional: notional.toFixed() };
    if (qty.lte(0) || (instrument?.minQty !== undefined && qty.lt(instrument.minQty))) {
      return {
        verdict: decide([
          fail(
            'orderSize',
            'BLOCK',
            `quantity ${qty.toFixed()} is below the lot size of ${req.symbol}`,
            qty.toFixed(),
            instrument?.minQty ?? '0',
          ),
        ]),
        numbers: sizing,
      };
    }
    // What the venue would refuse anyway is declined here, with the reason, before any order exists.
    const account = await market.funds(req);
    if ('refused' in account)
      return {
        verdict: decide([
          fail(
            'account',
            'BLOCK',
            `the ${req.connectorType} ${req.marketType} account cannot be read: ${account.refused}`,
          ),
        ]),
        numbers: sizing,
      };
    const untradable = checkTradable({
      ...req,
      quantity: qty,
      notional,
      instrument,
      funds: account.funds,
      quoteAsset: market.quoteAsset,
    });
    if (untradable) return { verdict: decide([untradable]), numbers: sizing };
    const snapshot = await state.snapshot(account.account ?? (await market.account()));
    const verdict = evaluateEntry(snapshot, { symbol: req.symbol, notional }, state.policies());
    const symbolExposure = (snapshot.exposureBySymbol[req.symbol] ?? new Dec(0)).toFixed();
    return { verdict, numbers: { ...accountNumbers(snapshot), symbolExposure, ...sizing }, quantity: qty.toFixed() };
  }

  async function entry(req: EntryRequest, env: EventEnvelope): Promise<void> {
    const m = { correlationId: env.correlationId ?? env.eventId, causationId: env.eventId };
    const positionId = positionIdFor(ctx.appKey, req.dedupKey);
    const previous = await repo.findAudit(req.dedupKey);
    if (previous) {
      // A redelivery: the decision stands; an allowed position resumes where it was.
      if (previous.action === 'ALLOW') await deps.manager.resume(positionId);
      return;
    }
    const { verdict, numbers, quantity } = await judge(req);
    const ids = {
      ...(req.intentId ? { intentId: req.intentId } : {}),
      ...(req.requestId ? { requestId: req.requestId } : {}),
    };
    const reason = verdict.decisive?.reason ?? 'every policy passed';
    const declined = {
      side: req.side,
      connectorType: req.connectorType,
      marketType: req.marketType,
      ...pick(numbers, ['quantity', 'notional']),
      ...pick(req, ['intentId', 'decisionId', 'signalId', 'requestId', 'detectorKey']),
    };
    const { created } = await auditor.record(
      {
        dedupKey: req.dedupKey,
        kind: req.origin === 'intent' ? 'intent' : 'position_request',
        action: verdict.action,
        ...(verdict.decisive ? { policy: verdict.decisive.policy } : {}),
        reason,
        symbol: req.symbol,
        ...ids,
        positionId,
        correlationId: m.correlationId,
        numbers,
        checks: verdict.checks,
        at: ctx.now(),
      },
      m,
      declined,
    );
    if (!created) return;
    ctx.logger.info(
      {
        ...ids,
        symbol: req.symbol,
        action: verdict.action,
        policy: verdict.decisive?.policy,
        reason,
        correlationId: m.correlationId,
      },
      'risk decision',
    );
    if (verdict.action === 'CLOSE_ALL')
      await deps.killSwitch.trip(reason, `policy:${verdict.decisive?.policy ?? 'unknown'}`, m, numbers);
    if (verdict.action !== 'ALLOW' || !quantity) return;

    const now = ctx.now();
    const { position } = await repo.insertPosition({
      id: positionId,
      dedupKey: req.dedupKey,
      status: 'PENDING_ENTRY',
      origin: req.origin,
      ...ids,
      ...(req.decisionId ? { decisionId: req.decisionId } : {}),
      ...(req.signalId ? { signalId: req.signalId } : {}),
      ...(req.detectorKey ? { detectorKey: req.detectorKey } : {}),
      symbol: req.symbol,
      side: req.side,
      connectorType: req.connectorType,
      marketType: req.marketType,
      quantity,
      filledQuantity: '0',
      ...(req.stopLoss ? { stopLoss: req.stopLoss } : {}),
      ...(req.takeProfit ? { takeProfit: req.takeProfit } : {}),
      entryClientOrderId: entryClientOrderId(positionId),
      protectionGen: 0,
      fees: '0',
      correlationId: m.correlationId,
      causationId: m.causationId,
      createdAt: now,
      updatedAt: now,
    });
    await deps.manager.open(position.id);
  }

  /** After every closed trade (its outcome event): a new drawdown or loss may stop trading right away. */
  async function afterOutcome(p: Pick<PositionRecord, 'id' | 'symbol' | 'correlationId'>): Promise<void> {
    if (state.killSwitch().active) return;
    const snapshot = await state.snapshot(await market.account());
    const verdict = decide([checkDrawdown(snapshot, state.policies())]);
    if (verdict.action !== 'CLOSE_ALL' || !verdict.decisive) return;
    const m = { ...(p.correlationId ? { correlationId: p.correlationId } : {}) };
    const numbers = accountNumbers(snapshot);
    await auditor.record(
      {
        dedupKey: `drawdown:${p.id}`,
        kind: 'drawdown',
        action: 'CLOSE_ALL',
        policy: verdict.decisive.policy,
        reason: verdict.decisive.reason,
        symbol: p.symbol,
        positionId: p.id,
        ...m,
        numbers,
        checks: verdict.checks,
        at: ctx.now(),
      },
      m,
    );
    await deps.killSwitch.trip(verdict.decisive.reason, `policy:${verdict.decisive.policy}`, m, numbers);
  }

  /** Detector close/reduce/flip: exits are never blocked by the entry policies, nor by the kill switch. */
  async function exitRequest(kind: 'close' | 'reduce' | 'flip', r: PositionRequest, env: EventEnvelope): Promise<void> {
    const m = { correlationId: env.correlationId ?? env.eventId, causationId: env.eventId };
    const active = (await repo.activePositions()).filter(
      (p) => p.symbol === r.symbol && (kind === 'flip' ? p.side !== r.side : true),
    );
    const partial = kind === 'reduce' && (r.fraction ?? 1) < 1;
    const audit = {
      dedupKey: `request:${r.requestId}:${kind}`,
      kind: 'exit' as const,
      symbol: r.symbol,
      requestId: r.requestId,
      correlationId: m.correlationId,
      numbers: { positions: String(active.length) },
      checks: [],
      at: ctx.now(),
    };
    if (partial) {
      // Partial reduction would need resized protective orders; refused explicitly rather than half-done.
      await auditor.record(
        {
          ...audit,
          action: 'BLOCK',
          policy: 'partialReduce',
          reason: `partial reduce (fraction ${r.fraction}) is not supported; send a close request`,
        },
        m,
      );
      return;
    }
    const { created } = await auditor.record(
      { ...audit, action: 'ALLOW', reason: `detector ${kind} request: closing ${active.length} position(s)` },
      m,
    );
    if (!created) return;
    for (const p of active) await deps.manager.forceExit(p.id, `detector_${kind}`);
    if (kind === 'flip') await entry(requestToEntry(r), env);
  }

  return {
    entry,
    exitRequest,
    afterOutcome,
    judge,
    /**
     * Clears the kill switch and re-bases the peak on today's equity, so the old drawdown does not trip it again.
     * Refused (CONFLICT) when the switch is not active: a "just in case" reset would erase the drawdown
     * and loss-streak tracking that is meant to trip it.
     */
    async resetKillSwitch(actor: string): Promise<void> {
      if (!deps.killSwitch.isActive())
        throw conflict('the kill switch is not active: nothing to reset (peak equity and the loss streak are kept)', {
          active: false,
        });
      const account = await market.account();
      await state.resetPeak(account.key, account.equity);
      await deps.killSwitch.reset(actor);
    },
  };
}

export type RiskGate = ReturnType<typeof createRiskGate>;
