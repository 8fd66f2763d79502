// services/esdb-memory: an embedded server that speaks EventStoreDB's gRPC protocol.
export { startEsdbMemory, type EsdbMemoryOptions, type RunningEsdbMemory } from './server.ts';
