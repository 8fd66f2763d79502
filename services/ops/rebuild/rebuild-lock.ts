import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../platform/index.ts';

export const rebuildLockKey = (projection: string): string => `rm:${projection}:rebuild-lock`;

// Compare-and-act on the owner token: a rebuild that stalled past its expiry must not renew or delete
// a lock that another rebuild has taken since.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type LockAttempt = { readonly acquired: true; readonly lock: RebuildLock } | { readonly acquired: false; readonly expiresInMs: number };

/**
 * One rebuild per projection at a time: a Redis key holding the owner's token, with an expiry that the
 * live owner keeps pushing back (every third of it). A crashed owner stops renewing, so the lock frees
 * itself within `ttlMs` and the next rebuild can resume; `onLost` fires when renewing finds the lock gone.
 */
export class RebuildLock {
  readonly #redis: RedisClient;
  readonly #key: string;
  readonly #token = randomUUID();
  #timer: NodeJS.Timeout | undefined;

  private constructor(redis: RedisClient, key: string) {
    this.#redis = redis;
    this.#key = key;
  }

  static async acquire(redis: RedisClient, projection: string, ttlMs: number, onLost: () => void): Promise<LockAttempt> {
    const lock = new RebuildLock(redis, rebuildLockKey(projection));
    const taken = await redis.set(lock.#key, lock.#token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
    if (taken === null) return { acquired: false, expiresInMs: Math.max(0, await redis.pTTL(lock.#key)) };
    lock.#timer = setInterval(() => {
      redis.eval(RENEW, { keys: [lock.#key], arguments: [lock.#token, String(ttlMs)] }).then(
        (renewed) => {
          if (renewed === 0) onLost();
        },
        // Redis unreachable for a moment: the next renewal tries again, well before the expiry.
        () => undefined,
      );
    }, Math.max(1, Math.floor(ttlMs / 3)));
    return { acquired: true, lock };
  }

  async release(): Promise<void> {
    clearInterval(this.#timer);
    await this.#redis.eval(RELEASE, { keys: [this.#key], arguments: [this.#token] });
  }
}
