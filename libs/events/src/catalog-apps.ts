import {
  ConfidenceLowSchema,
  DecisionContextSnapshotSchema,
  DecisionRequestSchema,
  DecisionSchema,
  ExecutionIntentSchema,
  HallucinationDetectedSchema,
  ModelSwitchedSchema,
  PositionRequestSchema,
  SignalInvalidationSchema,
  SignalSchema,
  SignalUpdateSchema,
} from '@barfinex/contracts';
import { defineEvent } from './definition';

const D = 'DETECTOR' as const;
const A = 'ADVISOR' as const;

export const DETECTOR_EVENTS = {
  DETECTOR_SIGNAL_GENERATED: defineEvent(D, {
    category: 'signal',
    durable: true,
    en: 'New trading signal',
    ru: 'Новый торговый сигнал',
    payload: SignalSchema,
  }),
  DETECTOR_SIGNAL_UPDATED: defineEvent(D, {
    category: 'signal',
    durable: true,
    en: 'Live signal or detector state updated',
    ru: 'Обновление активного сигнала или состояния детектора',
    payload: SignalUpdateSchema,
  }),
  DETECTOR_SIGNAL_INVALIDATED: defineEvent(D, {
    category: 'signal',
    durable: true,
    en: 'Signal withdrawn (detector stopped or a risk trigger)',
    ru: 'Сигнал отозван (детектор остановлен или сработал риск-триггер)',
    payload: SignalInvalidationSchema,
  }),
  DETECTOR_POSITION_OPEN_REQUEST: defineEvent(D, {
    category: 'position',
    durable: true,
    en: 'Detector requests opening a position',
    ru: 'Детектор запрашивает открытие позиции',
    payload: PositionRequestSchema,
  }),
  DETECTOR_POSITION_CLOSE_REQUEST: defineEvent(D, {
    category: 'position',
    durable: true,
    en: 'Detector requests closing a position',
    ru: 'Детектор запрашивает закрытие позиции',
    payload: PositionRequestSchema,
  }),
  DETECTOR_POSITION_REDUCE_REQUEST: defineEvent(D, {
    category: 'position',
    durable: true,
    en: 'Detector requests a partial close',
    ru: 'Детектор запрашивает частичное закрытие позиции',
    payload: PositionRequestSchema,
  }),
  DETECTOR_POSITION_FLIP_REQUEST: defineEvent(D, {
    category: 'position',
    durable: true,
    en: 'Detector requests reversing a position',
    ru: 'Детектор запрашивает разворот позиции',
    payload: PositionRequestSchema,
  }),
} as const;

export const ADVISOR_EVENTS = {
  ADVISOR_DECISION_REQUEST: defineEvent(A, {
    category: 'decision',
    durable: true,
    en: 'Explicit request for a trading decision',
    ru: 'Явный запрос торгового решения',
    payload: DecisionRequestSchema,
  }),
  ADVISOR_DECISION_RESPONSE: defineEvent(A, {
    category: 'decision',
    durable: true,
    en: 'Decision on a signal or request: approved or rejected, with reasoning',
    ru: 'Решение по сигналу или запросу: одобрено или отклонено, с обоснованием',
    payload: DecisionSchema,
  }),
  ADVISOR_DECISION_CONTEXT_SNAPSHOT: defineEvent(A, {
    category: 'decision',
    durable: true,
    en: 'Market context a decision was made from',
    ru: 'Рыночный контекст, на основе которого принято решение',
    payload: DecisionContextSnapshotSchema,
  }),
  ADVISOR_EXECUTION_INTENT_OPEN: defineEvent(A, {
    category: 'decision',
    durable: true,
    en: 'Execution intent for the inspector to gate and place',
    ru: 'Намерение исполнения для проверки и выставления инспектором',
    payload: ExecutionIntentSchema,
  }),
  ADVISOR_CONFIDENCE_LOW: defineEvent(A, {
    category: 'decision',
    durable: true,
    en: 'Decision confidence below the floor',
    ru: 'Уверенность решения ниже порога',
    payload: ConfidenceLowSchema,
  }),
  ADVISOR_MODEL_SWITCHED: defineEvent(A, {
    category: 'system',
    durable: false,
    en: 'Decision model changed',
    ru: 'Модель принятия решений изменена',
    payload: ModelSwitchedSchema,
  }),
  ADVISOR_HALLUCINATION_DETECTED: defineEvent(A, {
    category: 'decision',
    durable: true,
    en: 'Model output failed validation and was discarded',
    ru: 'Ответ модели не прошёл проверку и отброшен',
    payload: HallucinationDetectedSchema,
  }),
} as const;
