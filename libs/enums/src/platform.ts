/** The service that may publish an event; an event name's prefix is its only legal source. */
export const EventSource = {
  PROVIDER: 'PROVIDER',
  INSPECTOR: 'INSPECTOR',
  DETECTOR: 'DETECTOR',
  ADVISOR: 'ADVISOR',
} as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];
export const EVENT_SOURCE_VALUES: readonly EventSource[] = Object.values(EventSource);

export const DetectorStatus = {
  active: 'active',
  disabled: 'disabled',
  blocked: 'blocked',
  offline: 'offline',
} as const;
export type DetectorStatus = (typeof DetectorStatus)[keyof typeof DetectorStatus];
export const DETECTOR_STATUS_VALUES: readonly DetectorStatus[] = Object.values(DetectorStatus);

/** Kinds of app that register with the provider and are reachable through its proxy. */
export const AppType = {
  advisor: 'advisor',
  inspector: 'inspector',
  detector: 'detector',
  notifier: 'notifier',
} as const;
export type AppType = (typeof AppType)[keyof typeof AppType];
export const APP_TYPE_VALUES: readonly AppType[] = Object.values(AppType);

export const LogLevel = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  silent: 'silent',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];
export const LOG_LEVEL_VALUES: readonly LogLevel[] = Object.values(LogLevel);

export function isEventSource(value: unknown): value is EventSource {
  return typeof value === 'string' && (EVENT_SOURCE_VALUES as readonly string[]).includes(value);
}

export function isAppType(value: unknown): value is AppType {
  return typeof value === 'string' && (APP_TYPE_VALUES as readonly string[]).includes(value);
}
