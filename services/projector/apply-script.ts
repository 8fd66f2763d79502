import type { RedisClient } from '../platform/index.ts';
import type { PlannedApply, RedisEffect } from './projection.ts';
import { runScript } from './redis-script.ts';

/**
 * Applies one event to one aggregate, atomically, only if it is the next revision of the stream:
 *   revision <= stored      → already applied (a redelivery): write nothing, answer 0
 *   revision == stored + 1  → run the effects, store the revision, publish, answer 1
 *   revision >  stored + 1  → an earlier event has not been applied yet: write nothing, answer 2
 * The effects are checked before the first write because Redis does not roll back a script that fails
 * half-way. KEYS[1] holds `revision`; every key belongs to the aggregate's hash slot.
 * ARGV: revision, channel, message, then per effect: op, key index, argument count, arguments.
 */
const APPLY_SCRIPT = `
local revision = tonumber(ARGV[1])
local stored = tonumber(redis.call('HGET', KEYS[1], 'revision') or '-1')
if revision <= stored then return {0, stored} end
if revision > stored + 1 then return {2, stored} end
local allowed = {HSET = true, HINCRBY = true, ZADD = true}
local i = 4
while i <= #ARGV do
  if not allowed[ARGV[i]] or KEYS[tonumber(ARGV[i + 1])] == nil then
    return redis.error_reply('ERR effect not allowed: ' .. tostring(ARGV[i]) .. ' on key ' .. tostring(ARGV[i + 1]))
  end
  i = i + 3 + tonumber(ARGV[i + 2])
end
i = 4
while i <= #ARGV do
  local count = tonumber(ARGV[i + 2])
  redis.call(ARGV[i], KEYS[tonumber(ARGV[i + 1])], unpack(ARGV, i + 3, i + 2 + count))
  i = i + 3 + count
end
redis.call('HSET', KEYS[1], 'revision', ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return {1, revision}
`;

export type ApplyOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'gap'; readonly storedRevision: bigint };

const hashTagOf = (key: string): string | undefined => /\{([^}]+)\}/.exec(key)?.[1];

function effectArguments(effect: RedisEffect): { op: string; args: string[] } {
  switch (effect.kind) {
    case 'hset':
      return { op: 'HSET', args: Object.entries(effect.fields).flat() };
    case 'hincrby':
      return { op: 'HINCRBY', args: [effect.field, String(effect.by)] };
    case 'zadd':
      return { op: 'ZADD', args: [String(effect.score), effect.member] };
    default: {
      const _exhaustive: never = effect;
      return _exhaustive;
    }
  }
}

/** Builds KEYS and ARGV for the apply script; refuses a plan whose keys span hash slots. */
export function applyScriptInput(plan: PlannedApply, revision: bigint, channel: string, message: string) {
  const tag = hashTagOf(plan.revisionKey);
  const keys = [plan.revisionKey];
  const args = [String(revision), channel, message];
  for (const effect of plan.effects) {
    if (hashTagOf(effect.key) !== tag) {
      throw new Error(`effect key ${effect.key} is outside the hash slot of ${plan.revisionKey}`);
    }
    let keyIndex = keys.indexOf(effect.key);
    if (keyIndex < 0) keyIndex = keys.push(effect.key) - 1;
    const { op, args: effectArgs } = effectArguments(effect);
    args.push(op, String(keyIndex + 1), String(effectArgs.length), ...effectArgs);
  }
  return { keys, args };
}

export async function runApplyScript(
  redis: RedisClient,
  plan: PlannedApply,
  revision: bigint,
  channel: string,
  message: string,
): Promise<ApplyOutcome> {
  const { keys, args } = applyScriptInput(plan, revision, channel, message);
  const reply = (await runScript(redis, APPLY_SCRIPT, keys, args)) as [number, number];
  switch (reply[0]) {
    case 0:
      return { kind: 'duplicate' };
    case 1:
      return { kind: 'applied' };
    default:
      return { kind: 'gap', storedRevision: BigInt(reply[1]) };
  }
}
