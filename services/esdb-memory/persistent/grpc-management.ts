// PersistentSubscriptions Create, Update, Delete, GetInfo, List, ReplayParked and
// RestartSubsystem, answering as PersistentSubscriptions.*.cs do.
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { EventStore } from '../event-store.ts';
import { toServiceError } from '../grpc/errors.ts';
import { persistent, shared } from '../proto.ts';
import { decodeDefinition } from './definition-request.ts';
import { subscriptionDoesNotExist, subscriptionExists, subscriptionFailed } from './errors.ts';
import { subscriptionInfoOf } from './group-info.ts';
import { bufferProblem, settingsProblem } from './settings.ts';
import type { PersistentSubscriptionService } from './service.ts';
import { ALL_STREAM } from './source.ts';
import { userOf } from './user.ts';

type Pb = typeof persistent;
type Call<Req> = ServerUnaryCall<Req, unknown>;
type Callback = sendUnaryData<unknown>;

const nameOf = (identifier: { getStreamName_asU8(): Uint8Array } | undefined): string =>
  identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';

/** Runs a handler, turning anything it throws into the gRPC error the client expects. */
const unary =
  <Req>(handle: (call: Call<Req>) => Promise<unknown>) =>
  (call: Call<Req>, callback: Callback): void => {
    handle(call).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error)),
    );
  };

export const createManagementHandlers = (store: EventStore, service: PersistentSubscriptionService) => {
  const filterOf = (groupName: string) => service.get(ALL_STREAM, groupName)?.definition.source.filter;

  return {
    create: unary<InstanceType<Pb['CreateReq']>>(async (call) => {
      const options = call.request.getOptions()!;
      const decoded = decodeDefinition(store, options);
      if (decoded.kind === 'refused') throw subscriptionFailed(decoded.streamName, options.getGroupName(), decoded.reason);
      const { definition } = decoded;
      const { name } = definition.source;
      const refusal = settingsProblem(definition.settings);
      if (refusal) throw subscriptionFailed(name, definition.groupName, refusal);
      if (service.has(name, definition.groupName)) throw subscriptionExists(name, definition.groupName);
      const bufferRefusal = bufferProblem(definition.settings);
      if (bufferRefusal) throw subscriptionFailed(name, definition.groupName, bufferRefusal);
      if ((await service.create(definition, userOf(call.metadata))) === 'exists') throw subscriptionExists(name, definition.groupName);
      return new persistent.CreateResp();
    }),

    update: unary<InstanceType<Pb['UpdateReq']>>(async (call) => {
      const options = call.request.getOptions()!;
      const decoded = decodeDefinition(store, options, filterOf);
      const groupName = options.getGroupName();
      if (decoded.kind === 'refused') {
        if (decoded.streamName !== '' && decoded.streamName !== ALL_STREAM && !service.has(decoded.streamName, groupName)) {
          throw subscriptionDoesNotExist(decoded.streamName, groupName);
        }
        throw subscriptionFailed(decoded.streamName, groupName, decoded.reason);
      }
      const { definition } = decoded;
      const { name } = definition.source;
      if (!service.has(name, groupName)) throw subscriptionDoesNotExist(name, groupName);
      const refusal = settingsProblem(definition.settings) ?? bufferProblem(definition.settings);
      if (refusal) throw subscriptionFailed(name, groupName, refusal);
      if ((await service.update(definition, userOf(call.metadata))) === 'does-not-exist') throw subscriptionDoesNotExist(name, groupName);
      return new persistent.UpdateResp();
    }),

    delete: unary<InstanceType<Pb['DeleteReq']>>(async (call) => {
      const options = call.request.getOptions()!;
      const stream = options.hasAll() ? ALL_STREAM : nameOf(options.getStreamIdentifier());
      const groupName = options.getGroupName();
      if ((await service.delete(stream, groupName, userOf(call.metadata))) === 'does-not-exist') {
        throw subscriptionDoesNotExist(stream, groupName);
      }
      return new persistent.DeleteResp();
    }),

    getInfo: unary<InstanceType<Pb['GetInfoReq']>>(async (call) => {
      const options = call.request.getOptions()!;
      const stream = options.hasAll() ? ALL_STREAM : nameOf(options.getStreamIdentifier());
      const group = service.get(stream, options.getGroupName());
      if (!group) throw subscriptionDoesNotExist(stream, options.getGroupName());
      return new persistent.GetInfoResp().setSubscriptionInfo(subscriptionInfoOf(group));
    }),

    list: unary<InstanceType<Pb['ListReq']>>(async (call) => {
      const options = call.request.getOptions()!;
      let stream: string | undefined;
      if (options.hasListForStream()) {
        const forStream = options.getListForStream()!;
        stream = forStream.hasAll() ? ALL_STREAM : nameOf(forStream.getStream());
      }
      const groups = service.list(stream);
      if (!groups) throw subscriptionDoesNotExist(stream ?? '', '');
      return new persistent.ListResp().setSubscriptionsList(groups.map((group) => subscriptionInfoOf(group)));
    }),

    replayParked: unary<InstanceType<Pb['ReplayParkedReq']>>(async (call) => {
      const options = call.request.getOptions()!;
      const stream = options.hasAll() ? ALL_STREAM : nameOf(options.getStreamIdentifier());
      const groupName = options.getGroupName();
      const stopAt = options.hasStopAt() ? Number(BigInt.asIntN(64, BigInt(options.getStopAt()))) : undefined;
      if (stopAt !== undefined && stopAt < 0) {
        throw subscriptionFailed(stream, groupName, 'Cannot stop replaying parked message at a negative version.');
      }
      const group = service.get(stream, groupName);
      if (!group) throw subscriptionDoesNotExist(stream, groupName);
      await group.replayParked(stopAt);
      return new persistent.ReplayParkedResp();
    }),

    restartSubsystem: unary<unknown>(async () => {
      service.restart();
      return new shared.Empty();
    }),
  };
};
