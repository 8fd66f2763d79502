// Starts the embedded EventStoreDB-compatible gRPC server, in memory or durable (--db).
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { DurableLog } from './durable-log.ts';
import { EventStore } from './event-store.ts';
import { createGossipHandler, createServerFeaturesHandler } from './grpc/cluster-info.ts';
import { createAppendHandlers } from './grpc/streams-append.ts';
import { rejectingMalformedRequests } from './grpc/malformed-requests.ts';
import { createDeleteHandlers } from './grpc/streams-delete.ts';
import { createReadHandler } from './grpc/streams-read.ts';
import { createPersistentSubscriptions } from './persistent/index.ts';
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
// EventStoreDB's Kestrel allows 768 KiB per stream and 1 MiB per connection before the client
// must wait for a WINDOW_UPDATE. grpc-js keeps HTTP/2's 64 KiB default, so a 1,000-event batch
// stalls mid-message until the server's busy event loop acknowledges it: client and server then
// take turns instead of working in parallel. Matching Kestrel's windows restores the overlap.
const STREAM_WINDOW_BYTES = 768 * 1024;
const CONNECTION_WINDOW_BYTES = 1024 * 1024;

interface GrpcServerInternals {
  commonServerOptions?: { settings?: Record<string, number> };
  http2Servers?: Map<import('node:http2').Http2Server, unknown>;
}

/**
 * grpc-js has no option for the server's HTTP/2 windows, so this reaches into it: the stream window
 * goes into the options it passes to http2.createServer (call before bind), the connection window is
 * set on each session (call after bind). Without these internals the server still works, only slower.
 */
const useKestrelStreamWindow = (server: Server): void => {
  const internals = server as unknown as GrpcServerInternals;
  if (!internals.commonServerOptions) return;
  internals.commonServerOptions.settings = { ...internals.commonServerOptions.settings, initialWindowSize: STREAM_WINDOW_BYTES };
};
const useKestrelConnectionWindow = (server: Server): void => {
  for (const http2Server of (server as unknown as GrpcServerInternals).http2Servers?.keys() ?? []) {
    http2Server.on('session', (session) => session.setLocalWindowSize(CONNECTION_WINDOW_BYTES));
  }
};

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
  useKestrelStreamWindow(server);
  const streamsService = withPreEncodedReads(streamsGrpc.StreamsService);
  const persistentSubscriptions = createPersistentSubscriptions(store);
  const services: ServiceDefinition[] = [
    streamsService,
    persistentSubscriptions.definition,
    gossipGrpc.GossipService,
    serverFeaturesGrpc.ServerFeaturesService,
  ];
  const register = (service: ServiceDefinition, implementation: object) =>
    server.addService(...rejectingMalformedRequests(service, implementation as UntypedServiceImplementation));
  register(streamsService, {
    read: createReadHandler(store),
    ...createAppendHandlers(store, options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE),
    ...createDeleteHandlers(store),
  });
  register(persistentSubscriptions.definition, persistentSubscriptions.implementation);
  persistentSubscriptions.start();
  let boundPort = 0;
  register(gossipGrpc.GossipService, createGossipHandler(() => host, () => boundPort));
  register(serverFeaturesGrpc.ServerFeaturesService, createServerFeaturesHandler(services));

  boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 2113}`, ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
  useKestrelConnectionWindow(server);

  return {
    port: boundPort,
    connectionString: `esdb://${host}:${boundPort}?tls=false`,
    store,
    stop: () =>
      new Promise<void>((resolve) => {
        persistentSubscriptions.stop();
        server.tryShutdown(() => {
          durableLog?.close();
          resolve();
        });
        // Open subscriptions never end by themselves; give in-flight calls a moment, then cut them.
        setTimeout(() => server.forceShutdown(), 500).unref();
      }),
  };
};
