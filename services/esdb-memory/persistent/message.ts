// One event on its way through a group: read from the source (or from the parked stream when
// parked messages are replayed), buffered, sent to a consumer, retried, and finally acked,
// skipped or parked.
import type { EventStore } from '../event-store.ts';
import { LINK_EVENT_TYPE } from '../event-store.ts';
import { encodeMessage } from '../protobuf-writer.ts';
import { eventResp, resolveLink } from '../grpc/read-responses.ts';
import type { Consumer } from './consumer.ts';

export interface SubscriptionMessage {
  /** Global index of the record the group read: the link itself when it is a link. */
  readonly index: number;
  /** Global index of the event a resolved link points to. */
  readonly resolvedIndex: number | undefined;
  /** Whether the record is sent with its link resolved (group setting; always for replays). */
  readonly resolveLinks: boolean;
  /** What acks and nacks name: the id of the record read (the link's id for links). */
  readonly eventId: string;
  /** Position in the source; undefined for replayed parked messages. */
  readonly position: number | undefined;
  /** Position of the source record read just before this one: the checkpoint while this one is pending. */
  readonly previousPosition: number | undefined;
  /** Order in the source; replayed parked messages have none and never hold back a checkpoint. */
  readonly sequence: number | undefined;
  /** Where retries are inserted: the event number of the (resolved) event. */
  readonly retryOrder: number;
  retryCount: number;
  done: boolean;
  consumer: Consumer | undefined;
  expiresAt: number;
}

export const newMessage = (
  store: EventStore,
  index: number,
  resolveLinks: boolean,
  source: { position: number; previousPosition: number | undefined; sequence: number } | undefined,
): SubscriptionMessage => {
  const resolvedIndex = resolveLinks && store.typeAt(index) === LINK_EVENT_TYPE ? resolveLink(store, index) : undefined;
  return {
    index,
    resolvedIndex,
    resolveLinks,
    eventId: store.eventIdAt(index),
    position: source?.position,
    previousPosition: source?.previousPosition,
    sequence: source?.sequence,
    retryOrder: store.revisionAt(resolvedIndex ?? index),
    retryCount: 0,
    done: false,
    consumer: undefined,
    expiresAt: Number.POSITIVE_INFINITY,
  };
};

/** The event as the consumer sees it: what it points to when resolved (a link with no target otherwise). */
export const eventIndexOf = (message: SubscriptionMessage): number => message.resolvedIndex ?? message.index;

/** ReadResp { event: ReadEvent { event, link, commit_position, retry_count } }. */
export const encodeDelivery = (store: EventStore, message: SubscriptionMessage): Buffer =>
  eventResp(store, message.index, {
    resolveLinks: message.resolveLinks,
    withCommitPosition: true,
    retryCount: message.retryCount,
  });

/** ReadResp { subscription_confirmation: { subscription_id } }: the server uses the group key as id. */
export const encodeConfirmation = (subscriptionId: string): Buffer =>
  encodeMessage((w) => w.messageField(2, encodeMessage((c) => c.stringField(1, subscriptionId))));
