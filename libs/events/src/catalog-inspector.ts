import {
  DataGapSchema,
  DataMaturityUpdateSchema,
  DataOutlierSchema,
  KillSwitchSchema,
  MarginUpdateSchema,
  MarketConditionSchema,
  RegimeSchema,
  RiskBreachSchema,
  TradeOutcomeSchema,
} from '@barfinex/contracts';
import { defineEvent } from './definition';

const I = 'INSPECTOR' as const;

export const INSPECTOR_EVENTS = {
  INSPECTOR_RISK_LIMIT_BREACH: defineEvent(I, {
    category: 'risk',
    durable: true,
    en: 'A risk policy limit was breached',
    ru: 'Нарушен лимит риск-политики',
    payload: RiskBreachSchema,
  }),
  INSPECTOR_RISK_KILL_SWITCH: defineEvent(I, {
    category: 'risk',
    durable: true,
    en: 'Kill switch engaged or released',
    ru: 'Аварийная остановка включена или снята',
    payload: KillSwitchSchema,
  }),
  INSPECTOR_RISK_MARGIN_UPDATE: defineEvent(I, {
    category: 'risk',
    durable: true,
    en: 'Margin and exposure state',
    ru: 'Состояние маржи и экспозиции',
    payload: MarginUpdateSchema,
  }),
  INSPECTOR_TRADE_OUTCOME: defineEvent(I, {
    category: 'risk',
    durable: true,
    en: 'Closed-trade outcome for calibration',
    ru: 'Итог закрытой сделки для калибровки',
    payload: TradeOutcomeSchema,
  }),
  INSPECTOR_TREND_DETECTED: defineEvent(I, {
    category: 'regime',
    durable: false,
    en: 'Market regime: trend',
    ru: 'Режим рынка: тренд',
    payload: RegimeSchema,
  }),
  INSPECTOR_RANGE_DETECTED: defineEvent(I, {
    category: 'regime',
    durable: false,
    en: 'Market regime: range',
    ru: 'Режим рынка: флэт',
    payload: RegimeSchema,
  }),
  INSPECTOR_VOLATILITY_SPIKE: defineEvent(I, {
    category: 'regime',
    durable: false,
    en: 'Volatility spike',
    ru: 'Всплеск волатильности',
    payload: MarketConditionSchema,
  }),
  INSPECTOR_LIQUIDITY_DROPPED: defineEvent(I, {
    category: 'regime',
    durable: false,
    en: 'Liquidity deteriorated',
    ru: 'Ликвидность ухудшилась',
    payload: MarketConditionSchema,
  }),
  INSPECTOR_DATA_GAP_DETECTED: defineEvent(I, {
    category: 'data',
    durable: false,
    en: 'Gap in the market data stream',
    ru: 'Пропуск в потоке рыночных данных',
    payload: DataGapSchema,
  }),
  INSPECTOR_DATA_OUTLIER_DETECTED: defineEvent(I, {
    category: 'data',
    durable: false,
    en: 'Outlier tick or candle',
    ru: 'Аномальный тик или свеча',
    payload: DataOutlierSchema,
  }),
  INSPECTOR_DATA_MATURITY_UPDATE: defineEvent(I, {
    category: 'data',
    durable: false,
    en: 'Data maturity of a symbol changed',
    ru: 'Изменилась зрелость данных по инструменту',
    payload: DataMaturityUpdateSchema,
  }),
} as const;
