// The V8 flags the command API runs with (`npm run command-api`, the benchmark); package.json repeats them.
// A depositMoney over HTTP allocates about 140 KB of short-lived objects (--trace-gc-nvp: 57 MB between
// scavenges at 150 requests/s), most of it graphql-yoga's and envelop's per-hook promise helpers for its
// 35 plugins, then protobuf and gRPC messages. With tens of requests in flight, V8's default young
// generation (at most 16 MB per semispace) promotes much of that before it dies, and marking the old
// generation then costs about a third of the CPU per command: 0.47 → 0.32 ms per depositMoney, measured
// in-process. Requests still in flight across two scavenges (about 400 requests apart) are promoted all
// the same, so on a starved machine, where requests take longer, old-generation GCs come back.
// --single-threaded-gc: V8's parallel and concurrent GC helper threads need cores of their own. Where the
// API shares two cores with the store and other processes, a pause waits for helpers that are not
// scheduled: at half of peak (~970 deposits/s, npm run bench:command-api -- --full) the paced p99 was
// 26-56 ms with helpers, 9-15 ms without, the pauses in between lining up with --trace-gc's mark-compacts.
export const COMMAND_API_NODE_FLAGS = ['--max-semi-space-size=64', '--single-threaded-gc'] as const;
