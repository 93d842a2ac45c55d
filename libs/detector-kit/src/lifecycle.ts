import type { TimeFrame, TradeSide } from '@barfinex/enums';
import type { EventMeta } from '@barfinex/events';
import type { Bar } from './bar';
import type { ActiveSignal, Expiry, PositionAction, PositionState, SignalDraft } from './detector';
import { clamp01, priceString } from './emission';
import type { DetectorEmission, PositionRequestPayload, SignalPayload } from './emission';

export interface LiveSignal extends ActiveSignal {
  expiresAtBar: number | undefined;
  expiresAt: number | undefined;
}

/** Where an emission happens: one closed bar (or trade) of one stream. */
export interface Moment {
  symbol: string;
  timeframe: TimeFrame;
  barTime: number;
  timestamp: number;
  causationId: string;
}

export interface LifecycleDeps {
  detectorKey: string;
  strategy: string;
  connectorType: NonNullable<PositionRequestPayload['connectorType']>;
  marketType: NonNullable<PositionRequestPayload['marketType']>;
  priceDecimals: number;
  managePosition: boolean;
  defaultExpiry: Expiry | undefined;
  emit(emission: DetectorEmission): void;
  getPosition(symbol: string): PositionState | undefined;
  setPosition(symbol: string, position: PositionState | undefined): void;
}

const opposite = (side: TradeSide): TradeSide => (side === 'LONG' ? 'SHORT' : 'LONG');
const finite = (xs: readonly (number | string)[] | undefined) =>
  (xs ?? []).map(Number).filter((x) => Number.isFinite(x) && x > 0);

/** Turns detector output into lifecycle events for one stream. */
export function createLifecycle(deps: LifecycleDeps) {
  const { detectorKey } = deps;
  const px = (x: number | string | undefined) => priceString(x, deps.priceDecimals);
  let requestSeq = 0;
  let lastRequestBar = Number.NaN;

  const meta = (m: Moment, correlationId: string | undefined): EventMeta => {
    const out: EventMeta = { causationId: m.causationId, symbol: m.symbol, timestamp: m.timestamp, connectorType: deps.connectorType, marketType: deps.marketType };
    if (correlationId !== undefined) out.correlationId = correlationId;
    return out;
  };

  function request(type: PositionAction['type'], side: TradeSide, m: Moment, signalId: string | undefined, extra: Partial<PositionRequestPayload>): void {
    if (lastRequestBar !== m.barTime) requestSeq = 0;
    lastRequestBar = m.barTime;
    requestSeq += 1;
    const requestId = `${detectorKey}:${m.symbol}:${m.timeframe}:${m.barTime}:${type}:${requestSeq}`;
    const payload: PositionRequestPayload = Object.assign({ requestId, detectorKey, symbol: m.symbol, side, connectorType: deps.connectorType, marketType: deps.marketType }, extra);
    if (signalId !== undefined) payload.signalId = signalId;
    const name = ({ open: 'DETECTOR_POSITION_OPEN_REQUEST', close: 'DETECTOR_POSITION_CLOSE_REQUEST', reduce: 'DETECTOR_POSITION_REDUCE_REQUEST', flip: 'DETECTOR_POSITION_FLIP_REQUEST' } as const)[type];
    deps.emit({ name, payload, meta: meta(m, signalId ?? requestId) });
    // Optimistic: the host replaces this with the reported position once fills arrive.
    if (type === 'close') deps.setPosition(m.symbol, undefined);
    else if (type === 'open' || type === 'flip') {
      const price = extra.price === undefined ? undefined : Number(extra.price);
      deps.setPosition(m.symbol, {
        side,
        source: 'requested',
        since: m.timestamp,
        ...(price === undefined ? {} : { entryPrice: price }),
        ...(signalId === undefined ? {} : { signalId }),
      });
    }
  }

  function invalidate(signal: LiveSignal, reason: string, m: Moment, closePosition: boolean): void {
    deps.emit({ name: 'DETECTOR_SIGNAL_INVALIDATED', payload: { detectorKey, signalId: signal.signalId, symbol: m.symbol, reason }, meta: meta(m, signal.signalId) });
    const position = deps.getPosition(m.symbol);
    if (closePosition && deps.managePosition && position?.side === signal.direction) {
      request('close', position.side, m, signal.signalId, { reason });
    }
  }

  function generate(draft: SignalDraft, bar: Bar, m: Moment): LiveSignal {
    const signalId = `${detectorKey}:${m.symbol}:${m.timeframe}:${m.barTime}`;
    const entry = px(draft.entry ?? bar.close) ?? String(bar.close);
    const stop = px(draft.stop);
    const targets = finite(draft.targets).map((t) => px(t)).filter((t): t is string => t !== undefined);
    const score = draft.score ?? draft.confidence ?? 1;
    const confidence = clamp01(draft.confidence ?? score);
    const expiry = draft.expires ?? deps.defaultExpiry;
    const expiresAt = expiry?.ms === undefined ? undefined : m.timestamp + expiry.ms;
    const rulesFired = draft.rulesFired ? draft.rulesFired.slice() : [];
    // Optional fields are assigned rather than spread in: conditional spreads are slow in V8.
    const payload: SignalPayload = {
      signalId, detectorKey, symbol: m.symbol, direction: draft.direction, confidence, score, strategy: deps.strategy,
      entry: { price: entry, type: draft.entryType ?? 'market' },
      targets: targets.map((price, i) => ({ price, reason: `target ${i + 1}` })),
      rulesFired, timeframe: m.timeframe, connectorType: deps.connectorType, marketType: deps.marketType, createdAt: m.timestamp,
    };
    if (stop !== undefined) payload.stop = { price: stop, reason: 'stop' };
    if (draft.reason !== undefined) payload.reason = draft.reason;
    if (expiresAt !== undefined) payload.expiresAt = expiresAt;
    deps.emit({ name: 'DETECTOR_SIGNAL_GENERATED', payload, meta: meta(m, signalId) });
    const signal: LiveSignal = {
      signalId, direction: draft.direction, score, confidence, entry: Number(entry), stop: stop === undefined ? undefined : Number(stop),
      targets: targets.map(Number), targetsHit: 0, createdAt: m.timestamp, ageBars: 0, rulesFired,
      expiresAtBar: expiry?.bars, expiresAt,
    };
    if (deps.managePosition) {
      const position = deps.getPosition(m.symbol);
      const extra: Partial<PositionRequestPayload> = { price: entry };
      if (stop !== undefined) extra.stopLoss = stop;
      if (targets[0] !== undefined) extra.takeProfit = targets[0];
      if (draft.reason !== undefined) extra.reason = draft.reason;
      if (position === undefined) request('open', draft.direction, m, signalId, extra);
      else if (position.side !== draft.direction) request('flip', draft.direction, m, signalId, extra);
    }
    return signal;
  }

  /** Same-direction signal on a live one: tighten/loosen its levels and say so if anything moved. */
  function update(signal: LiveSignal, draft: SignalDraft, m: Moment): void {
    const stop = px(draft.stop);
    const targets = finite(draft.targets).map((t) => px(t)).filter((t): t is string => t !== undefined);
    const confidence = clamp01(draft.confidence ?? draft.score ?? signal.confidence);
    const stopChanged = stop !== undefined && Number(stop) !== signal.stop;
    const targetsChanged = targets.length > 0 && targets.map(Number).join() !== signal.targets.join();
    if (!stopChanged && !targetsChanged && confidence === signal.confidence) return;
    if (stopChanged) signal.stop = Number(stop);
    if (targetsChanged) {
      signal.targets = targets.map(Number);
      signal.targetsHit = 0;
    }
    signal.confidence = confidence;
    deps.emit({
      name: 'DETECTOR_SIGNAL_UPDATED',
      payload: {
        detectorKey, signalId: signal.signalId, symbol: m.symbol, kind: 'signal', confidence,
        ...(stopChanged && stop !== undefined ? { stop: { price: stop, reason: 'stop' } } : {}),
        ...(targetsChanged ? { targets: targets.map((price, i) => ({ price, reason: `target ${i + 1}` })) } : {}),
        ...(draft.reason === undefined ? {} : { reason: draft.reason }),
      },
      meta: meta(m, signal.signalId),
    });
  }

  /**
   * Checks a live signal against the bar that just closed. When the stop and a target fall in the
   * same bar the stop wins: without intrabar data, assuming the worse outcome is the safe choice.
   * Returns false once the signal is gone. `at` builds the moment only when something is emitted:
   * a live signal is checked on every bar, and most bars emit nothing.
   */
  function onBar(signal: LiveSignal, bar: Bar, at: () => Moment): boolean {
    signal.ageBars += 1;
    let moment: Moment | undefined;
    const m = (): Moment => (moment ??= at());
    const long = signal.direction === 'LONG';
    if (signal.stop !== undefined && (long ? bar.low <= signal.stop : bar.high >= signal.stop)) {
      invalidate(signal, 'stop hit', m(), true);
      return false;
    }
    while (signal.targetsHit < signal.targets.length) {
      const target = signal.targets[signal.targetsHit] ?? 0;
      if (!(long ? bar.high >= target : bar.low <= target)) break;
      signal.targetsHit += 1;
      const remaining = signal.targets.length - signal.targetsHit;
      if (remaining === 0) {
        invalidate(signal, 'target reached', m(), true);
        return false;
      }
      const reason = `target ${signal.targetsHit} reached`;
      deps.emit({ name: 'DETECTOR_SIGNAL_UPDATED', payload: { detectorKey, signalId: signal.signalId, symbol: m().symbol, kind: 'target_hit', reason }, meta: meta(m(), signal.signalId) });
      const position = deps.getPosition(m().symbol);
      if (deps.managePosition && position?.side === signal.direction) {
        request('reduce', position.side, m(), signal.signalId, { fraction: 1 / (remaining + 1), price: px(target) ?? String(target), reason });
      }
    }
    if (signal.expiresAtBar !== undefined && signal.ageBars >= signal.expiresAtBar) {
      invalidate(signal, `timeout after ${signal.ageBars} bars`, m(), true);
      return false;
    }
    if (signal.expiresAt !== undefined && m().timestamp >= signal.expiresAt) {
      invalidate(signal, 'timeout', m(), true);
      return false;
    }
    return true;
  }

  /** Explicit position requests from `evaluate`. */
  function act(action: PositionAction, signal: LiveSignal | undefined, m: Moment): void {
    const position = deps.getPosition(m.symbol);
    const extra: Partial<PositionRequestPayload> = {};
    const qty = px(action.quantity);
    if (qty !== undefined) extra.quantity = qty;
    for (const key of ['price', 'stopLoss', 'takeProfit'] as const) {
      const v = px(action[key]);
      if (v !== undefined) extra[key] = v;
    }
    if (action.reason !== undefined) extra.reason = action.reason;
    if (action.type === 'open') {
      request('open', action.side ?? signal?.direction ?? 'LONG', m, signal?.signalId, extra);
    } else if (action.type === 'flip') {
      request('flip', opposite(position?.side ?? action.side ?? signal?.direction ?? 'SHORT'), m, signal?.signalId, extra);
    } else if (position !== undefined) {
      if (action.type === 'reduce') extra.fraction = action.fraction ?? 0.5;
      request(action.type, position.side, m, signal?.signalId ?? position.signalId, extra);
    }
  }

  return { generate, update, invalidate, onBar, act };
}
export type Lifecycle = ReturnType<typeof createLifecycle>;
