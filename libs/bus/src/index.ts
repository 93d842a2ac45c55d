export { createMemoryBus } from './memory';
export { RecentMap, RecentSet } from './recent-map';
export type { MemoryBus, MemoryBusOptions } from './memory';
export { createNatsBus, NatsBusConfigSchema } from './nats';
export { connectAppBus } from './app-bus';
export type { AppBusOptions, BusWarnLogger } from './app-bus';
export type { NatsBusConfig, NatsBusOptions } from './nats';
export {
  DEFAULT_SUBJECT_PREFIX,
  VIRTUAL_PARTITIONS,
  eventSubject,
  ownsPartition,
  parseEventSubject,
  subscriptionSubjects,
  symbolToken,
  virtualPartition,
} from './subjects';
export type { ParsedEventSubject, SubjectFilter } from './subjects';
export { BusError, BusErrorCode, BusNoRespondersError, BusRemoteError, BusTimeoutError } from './errors';
/** Injectable timers (tests decide when time passes), shared with the apps that need the same. */
export { timerSchedule } from './serial-queue';
export type { Schedule } from './serial-queue';
export {
  BusErrorPhase,
  BusTransport,
  PartitionSchema,
  ReplyOptionsSchema,
  RequestOptionsSchema,
  SubscribeOptionsSchema,
} from './types';
export type {
  Bus,
  BusConnectionChange,
  BusConnectionListener,
  BusErrorContext,
  BusErrorListener,
  BusStatus,
  EventHandler,
  PublishEnvelopeOptions,
  ReplyHandler,
  ReplyOptions,
  RequestOptions,
  SubscribeOptions,
  Subscription,
} from './types';
