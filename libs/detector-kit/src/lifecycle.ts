import type { TimeFrame, TradeSide } from '@barfinex/enums';
import type { EventMeta, EventPayloadInput } from '@barfinex/events';
import type { Bar } from './bar';
import type { ActiveSignal, Expiry, PositionAction, PositionState, SignalDraft } from './detector';
import { clamp01, joinId, priceString, targetReachedReason, targetReason } from './emission';
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

const REQUEST_EVENT = {
  open: 'DETECTOR_POSITION_OPEN_REQUEST',
  close: 'DETECTOR_POSITION_CLOSE_REQUEST',
  reduce: 'DETECTOR_POSITION_REDUCE_REQUEST',
  flip: 'DETECTOR_POSITION_FLIP_REQUEST',
} as const;

const opposite = (side: TradeSide): TradeSide => (side === 'LONG' ? 'SHORT' : 'LONG');
/** The author's targets as price strings: positive finite ones only, in order. */
function priceList(xs: readonly (number | string)[] | undefined, decimals: number): string[] {
  const out: string[] = [];
  if (xs === undefined) return out;
  for (let i = 0; i < xs.length; i += 1) {
    const x = Number(xs[i]);
    if (!Number.isFinite(x) || x <= 0) continue;
    const price = priceString(x, decimals);
    if (price !== undefined) out.push(price);
  }
  return out;
}

function levelsOf(prices: readonly string[]): { price: string; reason: string }[] {
  const out = new Array<{ price: string; reason: string }>(prices.length);
  for (let i = 0; i < prices.length; i += 1) out[i] = { price: prices[i] as string, reason: targetReason(i + 1) };
  return out;
}

/** Same numbers in the same order (what joining both lists with commas compared before). */
function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function numbersOf(prices: readonly string[]): number[] {
  const out = new Array<number>(prices.length);
  for (let i = 0; i < prices.length; i += 1) out[i] = Number(prices[i]);
  return out;
}

/** Turns detector output into lifecycle events for one stream. */
export function createLifecycle(deps: LifecycleDeps) {
  const { detectorKey } = deps;
  const px = (x: number | string | undefined) => priceString(x, deps.priceDecimals);
  let requestSeq = 0;
  let lastRequestBar = Number.NaN;

  // Every emission has a correlation id (its signal's or its request's), so one literal shape.
  const meta = (m: Moment, correlationId: string): EventMeta => ({
    causationId: m.causationId,
    symbol: m.symbol,
    timestamp: m.timestamp,
    connectorType: deps.connectorType,
    marketType: deps.marketType,
    correlationId,
  });

  function request(
    type: PositionAction['type'],
    side: TradeSide,
    m: Moment,
    signalId: string | undefined,
    extra: Partial<PositionRequestPayload>,
  ): void {
    if (lastRequestBar !== m.barTime) requestSeq = 0;
    lastRequestBar = m.barTime;
    requestSeq += 1;
    const requestId = joinId([detectorKey, m.symbol, m.timeframe, m.barTime, type, requestSeq]);
    const payload: PositionRequestPayload = Object.assign(
      {
        requestId,
        detectorKey,
        symbol: m.symbol,
        side,
        connectorType: deps.connectorType,
        marketType: deps.marketType,
      },
      extra,
    );
    if (signalId !== undefined) payload.signalId = signalId;
    const name = REQUEST_EVENT[type];
    deps.emit({ name, payload, meta: meta(m, signalId ?? requestId) });
    // Optimistic: the host replaces this with the reported position once fills arrive.
    if (type === 'close') deps.setPosition(m.symbol, undefined);
    else if (type === 'open' || type === 'flip') {
      const position: PositionState = { side, source: 'requested', since: m.timestamp };
      if (extra.price !== undefined) position.entryPrice = Number(extra.price);
      if (signalId !== undefined) position.signalId = signalId;
      deps.setPosition(m.symbol, position);
    }
  }

  function invalidate(signal: LiveSignal, reason: string, m: Moment, closePosition: boolean): void {
    deps.emit({
      name: 'DETECTOR_SIGNAL_INVALIDATED',
      payload: { detectorKey, signalId: signal.signalId, symbol: m.symbol, reason },
      meta: meta(m, signal.signalId),
    });
    const position = deps.getPosition(m.symbol);
    if (closePosition && deps.managePosition && position?.side === signal.direction) {
      request('close', position.side, m, signal.signalId, { reason });
    }
  }

  function generate(draft: SignalDraft, bar: Bar, m: Moment): LiveSignal {
    const signalId = joinId([detectorKey, m.symbol, m.timeframe, m.barTime]);
    const entry = px(draft.entry ?? bar.close) ?? String(bar.close);
    const stop = px(draft.stop);
    const targets = priceList(draft.targets, deps.priceDecimals);
    const score = draft.score ?? draft.confidence ?? 1;
    const confidence = clamp01(draft.confidence ?? score);
    const expiry = draft.expires ?? deps.defaultExpiry;
    const expiresAt = expiry?.ms === undefined ? undefined : m.timestamp + expiry.ms;
    const rulesFired = draft.rulesFired ? draft.rulesFired.slice() : [];
    // Optional fields are assigned rather than spread in: conditional spreads are slow in V8.
    const payload: SignalPayload = {
      signalId,
      detectorKey,
      symbol: m.symbol,
      direction: draft.direction,
      confidence,
      score,
      strategy: deps.strategy,
      entry: { price: entry, type: draft.entryType ?? 'market' },
      targets: levelsOf(targets),
      rulesFired,
      timeframe: m.timeframe,
      connectorType: deps.connectorType,
      marketType: deps.marketType,
      createdAt: m.timestamp,
    };
    if (stop !== undefined) payload.stop = { price: stop, reason: 'stop' };
    if (draft.reason !== undefined) payload.reason = draft.reason;
    if (expiresAt !== undefined) payload.expiresAt = expiresAt;
    deps.emit({ name: 'DETECTOR_SIGNAL_GENERATED', payload, meta: meta(m, signalId) });
    const signal: LiveSignal = {
      signalId,
      direction: draft.direction,
      score,
      confidence,
      entry: Number(entry),
      stop: stop === undefined ? undefined : Number(stop),
      targets: numbersOf(targets),
      targetsHit: 0,
      createdAt: m.timestamp,
      ageBars: 0,
      rulesFired,
      expiresAtBar: expiry?.bars,
      expiresAt,
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
    const targets = priceList(draft.targets, deps.priceDecimals);
    const confidence = clamp01(draft.confidence ?? draft.score ?? signal.confidence);
    const stopChanged = stop !== undefined && Number(stop) !== signal.stop;
    const targetNumbers = numbersOf(targets);
    const targetsChanged = targets.length > 0 && !sameNumbers(targetNumbers, signal.targets);
    if (!stopChanged && !targetsChanged && confidence === signal.confidence) return;
    if (stopChanged) signal.stop = Number(stop);
    if (targetsChanged) {
      signal.targets = targetNumbers;
      signal.targetsHit = 0;
    }
    signal.confidence = confidence;
    const payload: EventPayloadInput<'DETECTOR_SIGNAL_UPDATED'> = {
      detectorKey,
      signalId: signal.signalId,
      symbol: m.symbol,
      kind: 'signal',
      confidence,
    };
    if (stopChanged && stop !== undefined) payload.stop = { price: stop, reason: 'stop' };
    if (targetsChanged) payload.targets = levelsOf(targets);
    if (draft.reason !== undefined) payload.reason = draft.reason;
    deps.emit({ name: 'DETECTOR_SIGNAL_UPDATED', payload, meta: meta(m, signal.signalId) });
  }

  /**
   * Checks a live signal against the bar that just closed. When the stop and a target fall in the
   * same bar the stop wins: without intrabar data, assuming the worse outcome is the safe choice.
   * Returns false once the signal is gone. `at` builds the moment only when something is emitted:
   * a live signal is checked on every bar, and most bars emit nothing.
   */
  function onBar(signal: LiveSignal, bar: Bar, at: () => Moment): boolean {
    signal.ageBars += 1;
    // No per-bar closure here: a live signal is checked on every bar, so `m` is filled inline.
    let m: Moment | undefined;
    const long = signal.direction === 'LONG';
    if (signal.stop !== undefined && (long ? bar.low <= signal.stop : bar.high >= signal.stop)) {
      invalidate(signal, 'stop hit', at(), true);
      return false;
    }
    while (signal.targetsHit < signal.targets.length) {
      const target = signal.targets[signal.targetsHit] ?? 0;
      if (!(long ? bar.high >= target : bar.low <= target)) break;
      m ??= at();
      signal.targetsHit += 1;
      const remaining = signal.targets.length - signal.targetsHit;
      if (remaining === 0) {
        invalidate(signal, 'target reached', m, true);
        return false;
      }
      const reason = targetReachedReason(signal.targetsHit);
      deps.emit({
        name: 'DETECTOR_SIGNAL_UPDATED',
        payload: { detectorKey, signalId: signal.signalId, symbol: m.symbol, kind: 'target_hit', reason },
        meta: meta(m, signal.signalId),
      });
      const position = deps.getPosition(m.symbol);
      if (deps.managePosition && position?.side === signal.direction) {
        request('reduce', position.side, m, signal.signalId, {
          fraction: 1 / (remaining + 1),
          price: px(target) ?? String(target),
          reason,
        });
      }
    }
    if (signal.expiresAtBar !== undefined && signal.ageBars >= signal.expiresAtBar) {
      invalidate(signal, `timeout after ${signal.ageBars} bars`, m ?? at(), true);
      return false;
    }
    if (signal.expiresAt !== undefined) {
      m ??= at();
      if (m.timestamp >= signal.expiresAt) {
        invalidate(signal, 'timeout', m, true);
        return false;
      }
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
      request(
        'flip',
        opposite(position?.side ?? action.side ?? signal?.direction ?? 'SHORT'),
        m,
        signal?.signalId,
        extra,
      );
    } else if (position !== undefined) {
      if (action.type === 'reduce') extra.fraction = action.fraction ?? 0.5;
      request(action.type, position.side, m, signal?.signalId ?? position.signalId, extra);
    }
  }

  return { generate, update, invalidate, onBar, act };
}
export type Lifecycle = ReturnType<typeof createLifecycle>;
