// The protobuf messages and gRPC service definitions shipped inside @eventstore/db-client.
// Using the client's own generated code means the server and the client can never disagree
// about a field number. They are CommonJS modules, so they are loaded with require.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const load = <T>(name: string): T => require(`@eventstore/db-client/generated/${name}`) as T;

export const shared = load<typeof import('@eventstore/db-client/generated/shared_pb.js')>('shared_pb.js');
export const streams = load<typeof import('@eventstore/db-client/generated/streams_pb.js')>('streams_pb.js');
export const streamsGrpc =
  load<typeof import('@eventstore/db-client/generated/streams_grpc_pb.js')>('streams_grpc_pb.js');
export const persistent = load<typeof import('@eventstore/db-client/generated/persistent_pb.js')>('persistent_pb.js');
export const persistentGrpc =
  load<typeof import('@eventstore/db-client/generated/persistent_grpc_pb.js')>('persistent_grpc_pb.js');
export const serverFeatures =
  load<typeof import('@eventstore/db-client/generated/serverfeatures_pb.js')>('serverfeatures_pb.js');
export const serverFeaturesGrpc =
  load<typeof import('@eventstore/db-client/generated/serverfeatures_grpc_pb.js')>('serverfeatures_grpc_pb.js');
export const gossip = load<typeof import('@eventstore/db-client/generated/gossip_pb.js')>('gossip_pb.js');
export const gossipGrpc = load<typeof import('@eventstore/db-client/generated/gossip_grpc_pb.js')>('gossip_grpc_pb.js');

export type ReadReq = import('@eventstore/db-client/generated/streams_pb.js').ReadReq;
export type AppendReq = import('@eventstore/db-client/generated/streams_pb.js').AppendReq;
export type BatchAppendReq = import('@eventstore/db-client/generated/streams_pb.js').BatchAppendReq;
export type UUID = import('@eventstore/db-client/generated/shared_pb.js').UUID;

// google.protobuf well-known types, from the same google-protobuf copy the generated code uses.
const requireBesideClient = createRequire(require.resolve('@eventstore/db-client/generated/status_pb.js'));
export const anyPb = requireBesideClient('google-protobuf/google/protobuf/any_pb.js') as typeof import('google-protobuf/google/protobuf/any_pb.js');
export const rpcStatus = load<typeof import('@eventstore/db-client/generated/status_pb.js')>('status_pb.js');
