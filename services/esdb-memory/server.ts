// Starts the embedded EventStoreDB-compatible gRPC server, in memory or durable (--db).
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { DurableLog } from './durable-log.ts';
import { EventStore } from './event-store.ts';
import { createGossipHandler, createServerFeaturesHandler } from './grpc/cluster-info.ts';
import { createAppendHandlers } from './grpc/streams-append.ts';
import { createDeleteHandlers } from './grpc/streams-delete.ts';
import { createReadHandler } from './grpc/streams-read.ts';
import { gossipGrpc, serverFeaturesGrpc, streamsGrpc } from './proto.ts';
import { writeSystemEvents } from './system-events.ts';

export interface EsdbMemoryOptions {
  /** 0 picks a free port. Default 2113, like EventStoreDB. */
  port?: number;
  host?: string;
  /** Directory for the durable log; without it everything lives in memory only. */
  dbDir?: string;
  /** Largest append in bytes (EventStoreDB's default is 1 MiB). */
  maxAppendSize?: number;
}

export interface RunningEsdbMemory {
  port: number;
  connectionString: string;
  store: EventStore;
  stop(): Promise<void>;
}

const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Reads are sent as pre-encoded bytes; everything else through the generated serializers. */
const withPreEncodedReads = (service: typeof streamsGrpc.StreamsService): ServiceDefinition => ({
  ...service,
  read: {
    ...service.read,
    responseSerialize: (value: Buffer | { serializeBinary(): Uint8Array }) =>
      Buffer.isBuffer(value) ? value : Buffer.from(value.serializeBinary()),
  },
});

export const startEsdbMemory = async (options: EsdbMemoryOptions = {}): Promise<RunningEsdbMemory> => {
  const host = options.host ?? '127.0.0.1';
  let durableLog: DurableLog | undefined;
  let store: EventStore;
  if (options.dbDir) {
    const opened = DurableLog.open(options.dbDir);
    durableLog = opened.log;
    store = new EventStore(durableLog);
    store.recover(opened.records);
  } else {
    store = new EventStore();
  }
  if (store.isEmpty) await writeSystemEvents(store);

  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const streamsService = withPreEncodedReads(streamsGrpc.StreamsService);
  const services: ServiceDefinition[] = [streamsService, gossipGrpc.GossipService, serverFeaturesGrpc.ServerFeaturesService];
  const register = (service: ServiceDefinition, implementation: object) =>
    server.addService(service, implementation as UntypedServiceImplementation);
  register(streamsService, {
    read: createReadHandler(store),
    ...createAppendHandlers(store, options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE),
    ...createDeleteHandlers(store),
  });
  let boundPort = 0;
  register(gossipGrpc.GossipService, createGossipHandler(() => host, () => boundPort));
  register(serverFeaturesGrpc.ServerFeaturesService, createServerFeaturesHandler(services));

  boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 2113}`, ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );

  return {
    port: boundPort,
    connectionString: `esdb://${host}:${boundPort}?tls=false`,
    store,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => {
          durableLog?.close();
          resolve();
        });
        // Open subscriptions never end by themselves; give in-flight calls a moment, then cut them.
        setTimeout(() => server.forceShutdown(), 500).unref();
      }),
  };
};
