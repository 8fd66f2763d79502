// The V8 flags the command API runs with (`npm run command-api`, the benchmark); package.json repeats them.
// A command allocates about 12 KB of short-lived objects (the fetch-style Request and Response, GraphQL
// execution, gRPC and protobuf messages). With tens of requests in flight, V8's default young generation
// (at most 16 MB per semispace) promotes much of that before it dies, and marking the old generation then
// costs about a third of the CPU per command: 0.47 → 0.32 ms per depositMoney, measured in-process.
export const COMMAND_API_NODE_FLAGS = ['--max-semi-space-size=64'] as const;
