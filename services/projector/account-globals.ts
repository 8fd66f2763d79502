// Global read models (stats and list indexes) with an exactly-once effect, Redis Cluster safe.
//
// An account's own keys live in its slot ({account:<id>}); stats and indexes span all accounts and
// so live in one slot of their own. No script may touch both. The choice made here: global models
// are *derived from account summaries*, never incremented by events. After an account's apply, the
// worker reads that account's summary (revision, status, currency, balance, openedAt) and hands it
// to the global script, which keeps, per account, the snapshot it last folded in ("contributions").
// If the snapshot's revision is not newer than the contribution, nothing happens; otherwise the old
// contribution is subtracted and the new one added, in the same script, in the global slot.
//
// Why this rather than per-slot dedup or sharded stats: the result is a function of the latest
// summaries only, so replays, duplicate deliveries, two workers refreshing the same account, or a
// stale snapshot arriving late all leave it unchanged (exactly-once in effect without remembering
// event ids); many events of one account fold into one refresh (cheap under load); and reading stats
// is one HGETALL rather than a sum over slots. The worker acks an event only after the refresh that
// covers it, so a worker killed between the account write and the refresh leaves the event unacked;
// its redelivery is a duplicate for the account, but still triggers the refresh.
//
// The snapshot is not read by a round trip of its own: the apply script reads it back (HMGET) in the
// same atomic call that applied the events, so its revision is at least that of every event the call
// applied or found already applied. Folding it in therefore covers those events, which is all the
// ack needs; a later apply of the same account brings a newer snapshot and supersedes it.
import type { RedisClient } from '../platform/index.ts';
import type { AggregateSnapshot } from './projection.ts';
import { globalKeys, type ReadModelNamespace } from './read-model-keys.ts';
import { runScript } from './redis-script.ts';

/**
 * KEYS: stats, contributions, by-opened-at, then per currency listed in ARGV: by-balance, by-status
 * open, by-status closed. ARGV: currency count, currencies, then per account (each id at most once):
 * id, revision, status, currency, balance (minor units), openedAt (ms).
 * Every command covers all accounts of the call: one HMGET of the contributions, one HSET, one ZADD or
 * ZREM per index key, one HINCRBY per stats field touched (by 0 when the changes cancel out, so the
 * same fields exist as with one increment per account). Balances are summed in Lua only while the sum
 * of their magnitudes stays below 2^53, where doubles are exact; a larger balance goes to HINCRBY as
 * its own string, so totals stay 64-bit exact. openedAt never changes, so the opened-at and status
 * indexes are written only for an account seen for the first time or whose status changed.
 */
const GLOBAL_SCRIPT = `
local currencies = tonumber(ARGV[1])
local keyOf = {}
for k = 1, currencies do
  local base = 3 + (k - 1) * 3
  keyOf[ARGV[1 + k]] = {balance = KEYS[base + 1], open = KEYS[base + 2], closed = KEYS[base + 3]}
end
local first = 2 + currencies
local ids = {}
for i = first, #ARGV, 6 do ids[#ids + 1] = ARGV[i] end
if #ids == 0 then return 0 end
local previous = redis.call('HMGET', KEYS[2], unpack(ids))
local EXACT = 9007199254740992
local counts, fields, sums, magnitudes = {}, {}, {}, {}
local function count(field, by)
  if counts[field] == nil then counts[field] = 0; fields[#fields + 1] = field end
  counts[field] = counts[field] + by
end
local function addBalance(field, text, negate)
  local value = tonumber(text)
  if negate then value = -value end
  local magnitude = (magnitudes[field] or 0) + math.abs(value)
  if magnitude < EXACT then
    if sums[field] == nil then fields[#fields + 1] = field end
    sums[field] = (sums[field] or 0) + value
    magnitudes[field] = magnitude
  else
    if negate then
      if string.sub(text, 1, 1) == '-' then text = string.sub(text, 2) elseif text ~= '0' then text = '-' .. text end
    end
    redis.call('HINCRBY', KEYS[1], field, text)
  end
end
local adds, removes, contributions = {}, {}, {}
local function add(sets, key, score, member)
  local set = sets[key]
  if set == nil then set = {}; sets[key] = set end
  set[#set + 1] = score
  set[#set + 1] = member
end
local function remove(key, member)
  local set = removes[key]
  if set == nil then set = {}; removes[key] = set end
  set[#set + 1] = member
end
local folded = 0
for n = 1, #ids do
  local i = first + (n - 1) * 6
  local id, revision, status, currency, balance, openedAt = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local previousRevision, oldStatus, oldCurrency, oldBalance = -1, nil, nil, nil
  if previous[n] then
    local rev
    rev, oldStatus, oldCurrency, oldBalance = string.match(previous[n], '^(%d+)|(%a+)|(%u+)|(%-?%d+)$')
    previousRevision = tonumber(rev)
    if revision > previousRevision then
      count('accounts:' .. oldStatus, -1)
      addBalance('balance:' .. oldCurrency, oldBalance, true)
    end
  end
  if revision > previousRevision then
    count('accounts:' .. status, 1)
    addBalance('balance:' .. currency, balance, false)
    count('events', revision - previousRevision)
    if oldStatus == nil then add(adds, KEYS[3], openedAt, id) end
    if oldStatus ~= status then
      if oldStatus ~= nil then remove(keyOf[oldCurrency][oldStatus], id) end
      add(adds, keyOf[currency][status], openedAt, id)
    end
    if oldBalance ~= balance then add(adds, keyOf[currency].balance, balance, id) end
    contributions[#contributions + 1] = id
    contributions[#contributions + 1] = revision .. '|' .. status .. '|' .. currency .. '|' .. balance
    folded = folded + 1
  end
end
for _, field in ipairs(fields) do
  local by = (counts[field] or 0) + (sums[field] or 0)
  redis.call('HINCRBY', KEYS[1], field, by == 0 and '0' or string.format('%.0f', by))
end
for key, members in pairs(removes) do redis.call('ZREM', key, unpack(members)) end
for key, members in pairs(adds) do redis.call('ZADD', key, unpack(members)) end
if #contributions > 0 then redis.call('HSET', KEYS[2], unpack(contributions)) end
return folded
`;

/** The summary fields the apply script reads back for the global read models, in this order. */
export const ACCOUNT_SNAPSHOT_FIELDS = ['status', 'currency', 'balanceMinor', 'openedAt'] as const;

const CHUNK = 500;

interface AccountContribution {
  readonly id: string;
  readonly revision: bigint;
  readonly status: 'open' | 'closed';
  readonly currency: string;
  readonly balanceMinor: string;
  readonly openedAtMs: number;
}

function contributionOf({ aggregateId, revision, fields }: AggregateSnapshot): AccountContribution | undefined {
  const [status, currency, balanceMinor, openedAt] = fields;
  // No opening applied yet (its event is still on its way, or parked): nothing to contribute.
  if (revision < 0n || !currency || !balanceMinor || !openedAt || (status !== 'open' && status !== 'closed')) return undefined;
  // Currency never changes once an account is opened, so one currency's keys cover old and new snapshot.
  return { id: aggregateId, revision, status, currency, balanceMinor, openedAtMs: Date.parse(openedAt) };
}

/** Folds account snapshots into stats and indexes (idempotent; the newest snapshot per account counts). */
export async function refreshAccountGlobals(redis: RedisClient, ns: ReadModelNamespace, snapshots: readonly AggregateSnapshot[]): Promise<void> {
  const newest = new Map<string, AccountContribution>();
  for (const snapshot of snapshots) {
    const contribution = contributionOf(snapshot);
    const known = newest.get(snapshot.aggregateId);
    if (contribution && (!known || known.revision < contribution.revision)) newest.set(contribution.id, contribution);
  }
  const contributions = [...newest.values()];
  const calls: Promise<unknown>[] = [];
  for (let at = 0; at < contributions.length; at += CHUNK) calls.push(runGlobalScript(redis, ns, contributions.slice(at, at + CHUNK)));
  await Promise.all(calls);
}

function runGlobalScript(redis: RedisClient, ns: ReadModelNamespace, contributions: readonly AccountContribution[]): Promise<unknown> {
  const keys = globalKeys(ns);
  const currencies = [...new Set(contributions.map((c) => c.currency))];
  const scriptKeys = [keys.stats, keys.contributions, keys.byOpenedAt];
  for (const currency of currencies) {
    scriptKeys.push(keys.byBalance(currency), keys.byStatus('open', currency), keys.byStatus('closed', currency));
  }
  const args = [String(currencies.length), ...currencies];
  for (const c of contributions) args.push(c.id, String(c.revision), c.status, c.currency, c.balanceMinor, String(c.openedAtMs));
  return runScript(redis, GLOBAL_SCRIPT, scriptKeys, args);
}
