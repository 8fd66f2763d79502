// Which versions of a projection are live is decided at run time, in Redis, not in code: a rebuild
// (ops) brings up version N+1 beside N and switches readers over while the long-running workers keep
// going, because they read these keys and join or leave subscription groups to match
// (version-follower.ts). A version baked into the workers' code would need a redeploy at the switch,
// and events written in between would reach only the old version.
//
//   rm:<p>:active   the version the query API reads and the workers keep current
//   rm:<p>:rebuild  { from, to } while a rebuild runs: `to` is built in the shadow while `from` is
//                   active; once `to` is active, `from` is being removed and nobody may write to it
import type { RedisClient } from '../platform/index.ts';
import { activeVersionKey, rebuildKey } from './read-model-keys.ts';

export interface RebuildRecord {
  readonly from: number;
  readonly to: number;
}

export interface ProjectionVersions {
  /** Undefined until the first worker (or rebuild) sets it. */
  readonly active: number | undefined;
  readonly rebuild: RebuildRecord | undefined;
}

export async function readProjectionVersions(redis: RedisClient, projection: string): Promise<ProjectionVersions> {
  const [active, record] = await Promise.all([redis.get(activeVersionKey(projection)), redis.hGetAll(rebuildKey(projection))]);
  const from = Number(record.from);
  const to = Number(record.to);
  return {
    active: active === null ? undefined : Number(active),
    rebuild: Number.isInteger(from) && Number.isInteger(to) && record.to !== undefined ? { from, to } : undefined,
  };
}

/** The versions workers keep projecting: the active one and, while a rebuild builds it, the shadow. */
export function versionsToProject({ active, rebuild }: ProjectionVersions, initial: number): number[] {
  const live = active ?? initial;
  return rebuild !== undefined && rebuild.from === live ? [live, rebuild.to] : [live];
}

export async function recordRebuild(redis: RedisClient, projection: string, record: RebuildRecord): Promise<void> {
  await redis.hSet(rebuildKey(projection), { from: String(record.from), to: String(record.to) });
}

/** The switch: one SET, so every reader sees either the old version or the new one. */
export async function activateVersion(redis: RedisClient, projection: string, version: number): Promise<void> {
  await redis.set(activeVersionKey(projection), String(version));
}

export async function forgetRebuild(redis: RedisClient, projection: string): Promise<void> {
  await redis.del(rebuildKey(projection));
}
