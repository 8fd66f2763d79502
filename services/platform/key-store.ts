import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-client.ts';

/**
 * The per-account keys that seal personal data in events. They live in Redis, never in the event store:
 * deleting an account's key is what erases its holder's data (crypto-shredding). That makes this Redis
 * as precious as the events: it needs persistence (AOF) and backups that expire, and must never be
 * flushed to "rebuild" read models — a lost key reads as an erased holder.
 */
export interface KeyStore {
  /** The account's key, made on first use; concurrent callers on any replica get the same one. */
  readonly keyFor: (accountId: string) => Promise<Buffer>;
  /** The account's key, or undefined when there is none (never made, or destroyed). */
  readonly find: (accountId: string) => Promise<Buffer | undefined>;
  /** Destroys the account's key for good; destroying a missing key is not an error. */
  readonly destroy: (accountId: string) => Promise<void>;
}

/** Hash-tagged like the account's read models, so it sits in the same slot on Redis Cluster. */
export const personalDataKeyName = (accountId: string): string => `pii:key:{account:${accountId}}`;

export function createKeyStore(redis: RedisClient): KeyStore {
  const find = async (accountId: string): Promise<Buffer | undefined> => {
    const stored = await redis.get(personalDataKeyName(accountId));
    return stored === null ? undefined : Buffer.from(stored, 'base64');
  };
  return {
    find,
    keyFor: async (accountId) => {
      // SET NX: the first writer's key wins; everyone then reads that one.
      await redis.set(personalDataKeyName(accountId), randomBytes(32).toString('base64'), { NX: true });
      const key = await find(accountId);
      if (key === undefined) throw new Error(`the personal-data key of account ${accountId} vanished right after it was made`);
      return key;
    },
    destroy: async (accountId) => {
      await redis.del(personalDataKeyName(accountId));
    },
  };
}
