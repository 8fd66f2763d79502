// The PersistentSubscriptions gRPC service: its definition (Read requests are decoded by hand,
// Read responses go out pre-encoded),
// its handlers, and the subsystem behind them, started once the store has been recovered.
import type { ServiceDefinition } from '@grpc/grpc-js';
import type { EventStore } from '../event-store.ts';
import { persistentGrpc } from '../proto.ts';
import { createManagementHandlers } from './grpc-management.ts';
import { createReadHandler } from './grpc-read.ts';
import { decodeReadRequest } from './read-request.ts';
import { PersistentSubscriptionService } from './service.ts';

export interface PersistentSubscriptions {
  definition: ServiceDefinition;
  implementation: object;
  start(): void;
  stop(): void;
}

export const createPersistentSubscriptions = (store: EventStore): PersistentSubscriptions => {
  const service = new PersistentSubscriptionService(store);
  const base = persistentGrpc.PersistentSubscriptionsService;
  const definition: ServiceDefinition = {
    ...base,
    read: {
      ...base.read,
      requestDeserialize: decodeReadRequest,
      responseSerialize: (value: Buffer | { serializeBinary(): Uint8Array }) =>
        Buffer.isBuffer(value) ? value : Buffer.from(value.serializeBinary()),
    },
  };
  return {
    definition,
    implementation: { ...createManagementHandlers(store, service), read: createReadHandler(store, service) },
    start: () => service.start(),
    stop: () => service.stop(),
  };
};
