/**
 * A token bucket per client, in this process's memory: each replica limits on its own, so N replicas
 * behind a load balancer let a client through at up to N times the rate. Good enough to stop one client
 * from flooding a replica; a limit that must hold across replicas belongs in the gateway or in Redis.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    /** Buckets kept; past this, the least recently used are dropped (a dropped client starts full). */
    private readonly maxClients = 100_000,
  ) {}

  /** Takes one token for `client`: 0 when allowed, else the milliseconds until a token is back. */
  take(client: string): number {
    const now = this.now();
    const bucket = this.#buckets.get(client);
    const tokens = bucket === undefined ? this.burst : Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1_000) * this.perSecond);
    // Re-inserting keeps the Map in least-recently-used order, so eviction takes from its front.
    this.#buckets.delete(client);
    if (tokens < 1) {
      this.#buckets.set(client, { tokens, at: now });
      return Math.ceil(((1 - tokens) / this.perSecond) * 1_000);
    }
    this.#buckets.set(client, { tokens: tokens - 1, at: now });
    if (this.#buckets.size > this.maxClients) this.#buckets.delete(this.#buckets.keys().next().value!);
    return 0;
  }
}
