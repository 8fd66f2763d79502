// A subscription group's settings, decoded from Create/Update requests the way the server reads
// them (PersistentSubscriptions.Create.cs): timeouts in ms or .NET ticks, the consumer strategy
// by name or by the older enum, the start given as a stream revision or a `$all` position.
import type { persistent } from '../proto.ts';

type CreateSettings = InstanceType<typeof persistent.CreateReq.Settings>;
type UpdateSettings = InstanceType<typeof persistent.UpdateReq.Settings>;

export interface GroupSettings {
  resolveLinkTos: boolean;
  extraStatistics: boolean;
  /** 0 means messages time out at once (the server maps 0 to TimeSpan.Zero). */
  messageTimeoutMs: number;
  maxRetryCount: number;
  liveBufferSize: number;
  historyBufferSize: number;
  readBatchSize: number;
  /** 0 means "never by time": only checkPointUpperBound triggers a checkpoint. */
  checkPointAfterMs: number;
  minCheckPointCount: number;
  maxCheckPointCount: number;
  /** 0 means unbounded. */
  maxSubscriberCount: number;
  consumerStrategy: string;
}

export const CONSUMER_STRATEGIES = ['DispatchToSingle', 'RoundRobin', 'Pinned', 'PinnedByCorrelation'] as const;

/** The generated enum's values in order: DispatchToSingle = 0, RoundRobin = 1, Pinned = 2. */
const NAMED_STRATEGIES = ['DispatchToSingle', 'RoundRobin', 'Pinned'];

const TICKS_PER_MS = 10_000;

const ticksToMs = (ticks: string): number => Math.trunc(Number(BigInt(ticks) / BigInt(TICKS_PER_MS)));

export const settingsOf = (settings: CreateSettings | UpdateSettings): GroupSettings => {
  const explicitStrategy = 'getConsumerStrategy' in settings ? settings.getConsumerStrategy() : '';
  const named = settings.getNamedConsumerStrategy();
  return {
    resolveLinkTos: settings.getResolveLinks(),
    extraStatistics: settings.getExtraStatistics(),
    messageTimeoutMs: settings.hasMessageTimeoutMs()
      ? settings.getMessageTimeoutMs()
      : settings.hasMessageTimeoutTicks()
        ? ticksToMs(settings.getMessageTimeoutTicks())
        : 0,
    maxRetryCount: settings.getMaxRetryCount(),
    liveBufferSize: settings.getLiveBufferSize(),
    historyBufferSize: settings.getHistoryBufferSize(),
    readBatchSize: settings.getReadBatchSize(),
    checkPointAfterMs: settings.hasCheckpointAfterMs()
      ? settings.getCheckpointAfterMs()
      : settings.hasCheckpointAfterTicks()
        ? ticksToMs(settings.getCheckpointAfterTicks())
        : 0,
    minCheckPointCount: settings.getMinCheckpointCount(),
    maxCheckPointCount: settings.getMaxCheckpointCount(),
    maxSubscriberCount: settings.getMaxSubscriberCount(),
    consumerStrategy: explicitStrategy || (NAMED_STRATEGIES[named] ?? String(named)),
  };
};

/** Why the server would refuse these settings (its own wording), or undefined. */
export const settingsProblem = (settings: GroupSettings): string | undefined => {
  if (!(CONSUMER_STRATEGIES as readonly string[]).includes(settings.consumerStrategy)) {
    return `Consumer strategy ${settings.consumerStrategy} does not exist.`;
  }
  return undefined;
};

/** Checked when the group is built, after the "already exists" check, as the server's constructor does. */
export const bufferProblem = (settings: GroupSettings): string | undefined =>
  settings.readBatchSize >= settings.historyBufferSize
    ? "Specified argument was out of the range of valid values. (Parameter 'ReadBatchSize may not be greater than or equal to BufferSize')"
    : undefined;
