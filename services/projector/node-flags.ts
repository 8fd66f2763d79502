// The V8 flags a projector worker runs with (`npm run projector`, both compose files, the benchmarks);
// package.json and the compose files repeat them, and the compose tests check that they do.
// A worker holds up to its buffer (1,000 by default) of delivered events in flight, each with its decoded
// data and plan, for a few milliseconds. V8's default young generation (at most 16 MB per semispace)
// promotes many of them before they die, and the old generation then marks and compacts them. With 64 MB
// per semispace they die young. Four alternating runs of npm run bench:projector -- --events 100000
// (2026-12-07): worker CPU per event 156-207 µs with the flag, 218-261 µs without; ratio to the no-op
// consumer (which gets the same flags) 0.70-0.76× with, 0.64-0.69× without; about 30 MB more peak RSS.
export const PROJECTOR_NODE_FLAGS = ['--max-semi-space-size=64'] as const;
