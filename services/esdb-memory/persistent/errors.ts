// The persistent-subscription errors of RpcExceptions.cs: status, message and the `exception`,
// `stream-name` and `group-name` trailers from which the client picks its error class.
import { status, type ServiceError } from '@grpc/grpc-js';
import { rpcError } from '../grpc/errors.ts';

const trailers = (exception: string, streamName: string, groupName: string) => ({
  exception,
  'stream-name': streamName,
  'group-name': groupName,
});

export const subscriptionExists = (streamName: string, groupName: string): ServiceError =>
  rpcError(
    status.ALREADY_EXISTS,
    `Subscription group ${groupName} on stream ${streamName} exists.`,
    trailers('persistent-subscription-exists', streamName, groupName),
  );

export const subscriptionDoesNotExist = (streamName: string, groupName: string): ServiceError =>
  rpcError(
    status.NOT_FOUND,
    `Subscription group ${groupName} on stream ${streamName} does not exist.`,
    trailers('persistent-subscription-does-not-exist', streamName, groupName),
  );

export const maximumSubscribersReached = (streamName: string, groupName: string): ServiceError =>
  rpcError(
    status.FAILED_PRECONDITION,
    `Maximum subscriptions reached for subscription group ${groupName} on stream ${streamName}.`,
    trailers('maximum-subscribers-reached', streamName, groupName),
  );

export const subscriptionDropped = (streamName: string, groupName: string): ServiceError =>
  rpcError(
    status.CANCELLED,
    `Subscription group ${groupName} on stream ${streamName} was dropped.`,
    trailers('persistent-subscription-dropped', streamName, groupName),
  );

export const subscriptionFailed = (streamName: string, groupName: string, reason: string): ServiceError =>
  rpcError(status.INTERNAL, `Subscription group ${groupName} on stream ${streamName} failed: '${reason}'`, {
    ...trailers('persistent-subscription-failed', streamName, groupName),
    reason,
  });
