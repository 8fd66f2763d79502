// GetInfo / List: a group's SubscriptionInfo as the server's PersistentSubscriptionStats builds
// it. Rates are measured between two calls, like the server's "since last measurement" figures.
import { persistent } from '../proto.ts';
import type { SubscriptionGroup } from './group.ts';

type SubscriptionInfo = InstanceType<typeof persistent.SubscriptionInfo>;

interface Measurement {
  at: number;
  totalItems: number;
  perConsumer: Map<string, number>;
}

const lastMeasurements = new WeakMap<SubscriptionGroup, Measurement>();

const perSecond = (items: number, elapsedMs: number): number => (elapsedMs > 0 ? Math.trunc((items * 1000) / elapsedMs) : 0);

export const subscriptionInfoOf = (group: SubscriptionGroup, now = Date.now()): SubscriptionInfo => {
  const previous = lastMeasurements.get(group) ?? { at: now, totalItems: 0, perConsumer: new Map<string, number>() };
  const elapsed = now - previous.at;
  const measurement: Measurement = { at: now, totalItems: group.totalItems, perConsumer: new Map() };
  let totalInFlight = 0;
  const connections = [...group.consumers.values()].map((consumer) => {
    const sinceLast = consumer.totalItems - (previous.perConsumer.get(consumer.id) ?? 0);
    measurement.perConsumer.set(consumer.id, consumer.totalItems);
    totalInFlight += consumer.inFlight.size;
    const { connection } = consumer;
    return new persistent.SubscriptionInfo.ConnectionInfo()
      .setFrom(connection.from)
      .setUsername(connection.username)
      .setAverageItemsPerSecond(perSecond(sinceLast, elapsed))
      .setTotalItems(String(consumer.totalItems))
      .setCountSinceLastMeasurement(String(sinceLast))
      .setAvailableSlots(consumer.availableSlots)
      .setInFlightMessages(consumer.inFlight.size)
      .setConnectionName(connection.connectionName);
  });
  lastMeasurements.set(group, measurement);
  const { source, groupName, settings, startFrom } = group.definition;
  const sinceLast = group.totalItems - previous.totalItems;
  const format = (position: number | undefined) => (position === undefined ? '' : source.format(position));
  return new persistent.SubscriptionInfo()
    .setEventSource(source.name)
    .setGroupName(groupName)
    .setStatus(group.isLive ? 'Live' : 'Behind')
    .setConnectionsList(connections)
    .setAveragePerSecond(perSecond(sinceLast, elapsed))
    .setTotalItems(String(group.totalItems))
    .setCountSinceLastMeasurement(String(sinceLast))
    .setLastCheckpointedEventPosition(format(group.lastCheckpointedPosition))
    .setLastKnownEventPosition(format(group.lastKnownPosition))
    .setResolveLinkTos(settings.resolveLinkTos)
    .setStartFrom(startFrom.text)
    .setMessageTimeoutMilliseconds(settings.messageTimeoutMs)
    .setExtraStatistics(settings.extraStatistics)
    .setMaxRetryCount(settings.maxRetryCount)
    .setLiveBufferSize(settings.liveBufferSize)
    .setBufferSize(settings.historyBufferSize)
    .setReadBatchSize(settings.readBatchSize)
    .setCheckPointAfterMilliseconds(settings.checkPointAfterMs)
    .setMinCheckPointCount(settings.minCheckPointCount)
    .setMaxCheckPointCount(settings.maxCheckPointCount)
    .setReadBufferCount(group.readBufferCount)
    .setLiveBufferCount('0')
    .setRetryBufferCount(group.retryBuffer.length)
    .setTotalInFlightMessages(totalInFlight)
    .setOutstandingMessagesCount(group.outstanding.size)
    .setNamedConsumerStrategy(group.strategy.name)
    .setMaxSubscriberCount(settings.maxSubscriberCount)
    .setParkedMessageCount(String(group.parked.count));
};
