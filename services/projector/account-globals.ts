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
import type { RedisClient } from '../platform/index.ts';
import { accountKeys, globalKeys, type ReadModelNamespace } from './read-model-keys.ts';
import { runScript } from './redis-script.ts';

/**
 * KEYS: stats, contributions, by-opened-at, then per currency listed in ARGV: by-balance, by-status
 * open, by-status closed. ARGV: currency count, currencies, then per account: id, revision, status,
 * currency, balance (minor units), openedAt (ms). Balances go through HINCRBY as strings: 64-bit exact.
 */
const GLOBAL_SCRIPT = `
local currencies = tonumber(ARGV[1])
local keyOf = {}
for k = 1, currencies do
  local base = 3 + (k - 1) * 3
  keyOf[ARGV[1 + k]] = {balance = KEYS[base + 1], open = KEYS[base + 2], closed = KEYS[base + 3]}
end
local function negate(n)
  if n == '0' then return '0' end
  if string.sub(n, 1, 1) == '-' then return string.sub(n, 2) end
  return '-' .. n
end
local folded = 0
local i = 2 + currencies
while i <= #ARGV do
  local id, revision, status, currency, balance, openedAt = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  i = i + 6
  local previous = redis.call('HGET', KEYS[2], id)
  local previousRevision = -1
  if previous then
    local rev, oldStatus, oldCurrency, oldBalance = string.match(previous, '^(%d+)|(%a+)|(%u+)|(%-?%d+)$')
    previousRevision = tonumber(rev)
    if revision > previousRevision then
      redis.call('HINCRBY', KEYS[1], 'accounts:' .. oldStatus, -1)
      redis.call('HINCRBY', KEYS[1], 'balance:' .. oldCurrency, negate(oldBalance))
      if oldStatus ~= status then redis.call('ZREM', keyOf[oldCurrency][oldStatus], id) end
    end
  end
  if revision > previousRevision then
    redis.call('HINCRBY', KEYS[1], 'accounts:' .. status, 1)
    redis.call('HINCRBY', KEYS[1], 'balance:' .. currency, balance)
    redis.call('HINCRBY', KEYS[1], 'events', revision - previousRevision)
    redis.call('ZADD', KEYS[3], openedAt, id)
    redis.call('ZADD', keyOf[currency].balance, balance, id)
    redis.call('ZADD', keyOf[currency][status], openedAt, id)
    redis.call('HSET', KEYS[2], id, revision .. '|' .. status .. '|' .. currency .. '|' .. balance)
    folded = folded + 1
  end
end
return folded
`;

const SUMMARY_FIELDS = ['revision', 'status', 'currency', 'balanceMinor', 'openedAt'] as const;

interface AccountSnapshot {
  readonly id: string;
  readonly revision: string;
  readonly status: 'open' | 'closed';
  readonly currency: string;
  readonly balanceMinor: string;
  readonly openedAtMs: number;
}

async function readSnapshot(redis: RedisClient, ns: ReadModelNamespace, id: string): Promise<AccountSnapshot | undefined> {
  const [revision, status, currency, balanceMinor, openedAt] = await redis.hmGet(accountKeys(ns, id).summary, [...SUMMARY_FIELDS]);
  // No summary yet (its opening event is still on its way, or parked): nothing to contribute.
  if (!revision || !currency || !balanceMinor || !openedAt || (status !== 'open' && status !== 'closed')) return undefined;
  // Currency never changes once an account is opened, so one currency's keys cover old and new snapshot.
  return { id, revision, status, currency, balanceMinor, openedAtMs: Date.parse(openedAt) };
}

/** Folds the current summaries of the given accounts into stats and indexes (idempotent). */
export async function refreshAccountGlobals(redis: RedisClient, ns: ReadModelNamespace, accountIds: readonly string[]): Promise<void> {
  const snapshots = (await Promise.all(accountIds.map((id) => readSnapshot(redis, ns, id)))).filter(
    (snapshot): snapshot is AccountSnapshot => snapshot !== undefined,
  );
  if (snapshots.length === 0) return;
  const keys = globalKeys(ns);
  const currencies = [...new Set(snapshots.map((snapshot) => snapshot.currency))];
  const scriptKeys = [keys.stats, keys.contributions, keys.byOpenedAt];
  for (const currency of currencies) {
    scriptKeys.push(keys.byBalance(currency), keys.byStatus('open', currency), keys.byStatus('closed', currency));
  }
  const args = [String(currencies.length), ...currencies];
  for (const s of snapshots) args.push(s.id, s.revision, s.status, s.currency, s.balanceMinor, String(s.openedAtMs));
  await runScript(redis, GLOBAL_SCRIPT, scriptKeys, args);
}
