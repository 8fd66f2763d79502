import { hashSlot, type RedisClient } from '../platform/index.ts';
import type { PlannedApply, RedisEffect } from './projection.ts';
import { runScript } from './redis-script.ts';

/**
 * Applies consecutive events of one aggregate, atomically and in order, each only if it is the next
 * revision of the stream:
 *   revision <= stored      → already applied (a redelivery): write nothing, code 0
 *   revision == stored + 1  → run its effects, publish `{"stream":…,"revision":…}` on the channel, code 1
 *   revision >  stored + 1  → an earlier event has not been applied yet: stop here; it and the events
 *                             after it are left to the caller (no code)
 * The stored revision is written once, after the last applied event. All effects are checked before
 * the first write (kind, key, and argument shape: HSET and ZADD in pairs, HINCRBY by an integer)
 * because Redis does not roll back a script that fails half-way. KEYS[1] holds `revision`; every key
 * belongs to the aggregate's hash slot. One call per batch instead of one per event saves the script
 * start, the revision read and write, and a round trip per event; the script builds each message from
 * its revision, so the worker sends the stream name once per call.
 * ARGV: channel, the message up to its revision, snapshot field count, snapshot fields, then per
 * event: revision, length of its effect arguments, and per effect: op, key index, argument count,
 * arguments.
 * Answers { stored revision, codes, snapshot fields of KEYS[1] as they are after the writes }.
 */
const APPLY_SCRIPT = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'revision') or '-1')
local fieldCount = tonumber(ARGV[3])
local first = 4 + fieldCount
local function valid(op, key, count, at)
  if KEYS[key] == nil or count == nil then return false end
  if op == 'HSET' or op == 'ZADD' then return count > 0 and count % 2 == 0 end
  return op == 'HINCRBY' and count == 2 and string.match(ARGV[at + 1], '^-?%d+$') ~= nil
end
local i = first
while i <= #ARGV do
  local stop = i + 2 + tonumber(ARGV[i + 1])
  local j = i + 2
  while j < stop do
    if not valid(ARGV[j], tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2]), j + 3) then
      return redis.error_reply('ERR effect not allowed: ' .. tostring(ARGV[j]) .. ' on key ' .. tostring(ARGV[j + 1]))
    end
    j = j + 3 + tonumber(ARGV[j + 2])
  end
  i = stop
end
local codes = {}
local appliedText = nil
i = first
while i <= #ARGV do
  local revision = tonumber(ARGV[i])
  if revision > stored + 1 then break end
  local stop = i + 2 + tonumber(ARGV[i + 1])
  if revision <= stored then
    codes[#codes + 1] = 0
  else
    local j = i + 2
    while j < stop do
      local count = tonumber(ARGV[j + 2])
      redis.call(ARGV[j], KEYS[tonumber(ARGV[j + 1])], unpack(ARGV, j + 3, j + 2 + count))
      j = j + 3 + count
    end
    redis.call('PUBLISH', ARGV[1], ARGV[2] .. ARGV[i] .. '}')
    stored = revision
    appliedText = ARGV[i]
    codes[#codes + 1] = 1
  end
  i = stop
end
if appliedText then redis.call('HSET', KEYS[1], 'revision', appliedText) end
local snapshot = {}
if fieldCount > 0 and stored >= 0 then snapshot = redis.call('HMGET', KEYS[1], unpack(ARGV, 4, 3 + fieldCount)) end
return {stored, codes, snapshot}
`;

/** One event of a batch: its planned writes and its stream revision. */
export interface BatchEvent {
  readonly plan: PlannedApply;
  readonly revision: bigint;
}

/** Where an apply announces the stream's new revision, for read-your-writes waits and subscriptions. */
export interface AppliedNotice {
  readonly channel: string;
  readonly stream: string;
}

export interface BatchOutcome {
  /** Per event, in order, for the prefix the script got through; the events after it met a gap. */
  readonly outcomes: readonly ('applied' | 'duplicate')[];
  /** The aggregate's stored revision after the script (-1 when nothing is stored). */
  readonly storedRevision: bigint;
  /** The requested snapshot fields as they are after the script (empty when nothing is stored). */
  readonly snapshot: readonly (string | null)[];
}

export type ApplyOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'gap'; readonly storedRevision: bigint };

function pushEffectArguments(args: string[], effect: RedisEffect, key: string): void {
  switch (effect.kind) {
    case 'hset': {
      const countAt = args.push('HSET', key, '') - 1;
      for (const field in effect.fields) args.push(field, effect.fields[field]!);
      args[countAt] = String(args.length - countAt - 1);
      return;
    }
    case 'hincrby':
      args.push('HINCRBY', key, '2', effect.field, String(effect.by));
      return;
    case 'zadd':
      args.push('ZADD', key, '2', String(effect.score), effect.member);
      return;
    default: {
      const _exhaustive: never = effect;
      return _exhaustive;
    }
  }
}

/**
 * Builds KEYS and ARGV for the apply script; refuses a batch whose keys span hash slots or whose
 * events belong to different aggregates.
 */
export function applyScriptInput(events: readonly BatchEvent[], notice: AppliedNotice, snapshotFields: readonly string[] = []) {
  const revisionKey = events[0]?.plan.revisionKey;
  if (revisionKey === undefined) throw new Error('an apply batch needs at least one event');
  const slot = hashSlot(revisionKey);
  const keys = [revisionKey];
  // Key indexes as the script numbers them; each key's slot is checked once, when first seen.
  const keyIndexes = new Map([[revisionKey, '1']]);
  const args = [notice.channel, `{"stream":${JSON.stringify(notice.stream)},"revision":`, String(snapshotFields.length), ...snapshotFields];
  for (const { plan, revision } of events) {
    if (plan.revisionKey !== revisionKey) throw new Error(`${plan.revisionKey} and ${revisionKey} cannot share an apply batch`);
    const lengthAt = args.push(String(revision), '') - 1;
    for (const effect of plan.effects) {
      let keyIndex = keyIndexes.get(effect.key);
      if (keyIndex === undefined) {
        if (hashSlot(effect.key) !== slot) throw new Error(`effect key ${effect.key} is outside the hash slot of ${revisionKey}`);
        keyIndex = String(keys.push(effect.key));
        keyIndexes.set(effect.key, keyIndex);
      }
      pushEffectArguments(args, effect, keyIndex);
    }
    args[lengthAt] = String(args.length - lengthAt - 1);
  }
  return { keys, args };
}

/** Applies consecutive events of one aggregate in one script call (see APPLY_SCRIPT). */
export async function runApplyBatch(
  redis: RedisClient,
  events: readonly BatchEvent[],
  notice: AppliedNotice,
  snapshotFields: readonly string[] = [],
): Promise<BatchOutcome> {
  const { keys, args } = applyScriptInput(events, notice, snapshotFields);
  const [stored, codes, snapshot] = (await runScript(redis, APPLY_SCRIPT, keys, args)) as [number, number[], (string | null)[]];
  return {
    outcomes: codes.map((code) => (code === 1 ? 'applied' : 'duplicate')),
    storedRevision: BigInt(stored),
    snapshot,
  };
}

/** Applies one event: a batch of one. */
export async function runApplyScript(redis: RedisClient, plan: PlannedApply, revision: bigint, notice: AppliedNotice): Promise<ApplyOutcome> {
  const { outcomes, storedRevision } = await runApplyBatch(redis, [{ plan, revision }], notice);
  const [outcome] = outcomes;
  return outcome === undefined ? { kind: 'gap', storedRevision } : { kind: outcome };
}
