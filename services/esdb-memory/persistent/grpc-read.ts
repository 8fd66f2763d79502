// PersistentSubscriptions.Read: the first request names the group and the consumer's buffer
// size; the server confirms with the subscription id "<stream>::<group>", then streams events
// (with their retry count) while the consumer acks and nacks them on the same call.
import { randomUUID } from 'node:crypto';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { EventStore } from '../event-store.ts';
import { MalformedRequest, toServiceError } from '../grpc/errors.ts';
import { maximumSubscribersReached, subscriptionDoesNotExist, subscriptionDropped } from './errors.ts';
import type { NackAction, SubscriptionGroup } from './group.ts';
import { encodeConfirmation, encodeDelivery } from './message.ts';
import type { ReadRequest, ReadReqOptions } from './read-request.ts';
import type { PersistentSubscriptionService } from './service.ts';
import { ALL_STREAM } from './source.ts';
import { userOf } from './user.ts';

type ReadCall = ServerDuplexStream<ReadRequest, Buffer>;

/** ReadReq.Nack.Action: UNKNOWN 0, PARK 1, RETRY 2, SKIP 3, STOP 4. */
const NACK_ACTIONS: NackAction[] = ['unknown', 'park', 'retry', 'skip', 'stop'];

const isOpen = (call: ReadCall): boolean => !(call.cancelled || call.destroyed || call.writableEnded);

const fail = (call: ReadCall, error: unknown): void => {
  if (isOpen(call)) call.emit('error', toServiceError(error));
};

export const createReadHandler = (store: EventStore, service: PersistentSubscriptionService) => (call: ReadCall) => {
  let group: SubscriptionGroup | undefined;
  let consumerId: string | undefined;
  const leave = () => {
    if (group && consumerId) group.removeConsumer(consumerId);
    group = undefined;
  };

  const connect = (request: ReadRequest) => {
    if (request.kind !== 'options') throw new MalformedRequest('The first request of a persistent subscription must carry options.');
    const options: ReadReqOptions = request.options;
    const stream = options.hasAll()
      ? ALL_STREAM
      : Buffer.from(options.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array(0)).toString('utf8');
    const groupName = options.getGroupName();
    const found = service.get(stream, groupName);
    if (!found) throw subscriptionDoesNotExist(stream, groupName);
    if (found.hasReachedMaxConsumers) throw maximumSubscribersReached(stream, groupName);
    call.write(encodeConfirmation(found.key));
    consumerId = randomUUID();
    group = found;
    found.addConsumer({
      id: consumerId,
      connectionName: String(call.metadata.get('connection-name')[0] ?? '<unknown>'),
      from: call.getPeer(),
      username: userOf(call.metadata) ?? 'anonymous',
      maxInFlight: Math.max(1, options.getBufferSize()),
      deliver: (message) => {
        if (isOpen(call)) call.write(encodeDelivery(store, message));
      },
      drop: () => {
        group = undefined;
        fail(call, subscriptionDropped(stream, groupName));
      },
    });
  };

  const settle = (request: ReadRequest) => {
    if (!group) return;
    if (request.kind === 'ack') group.ack(request.ids);
    else if (request.kind === 'nack') group.nack(NACK_ACTIONS[request.action] ?? 'unknown', request.ids, request.reason);
  };

  let connected = false;
  call.on('data', (request: ReadRequest) => {
    try {
      if (connected) return settle(request);
      connected = true;
      connect(request);
    } catch (error) {
      fail(call, error);
    }
  });
  call.on('end', () => {
    leave();
    if (isOpen(call)) call.end();
  });
  call.on('cancelled', leave);
  call.on('close', leave);
  call.on('error', leave);
};
