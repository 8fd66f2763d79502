import type { RedisClient } from '../platform/index.ts';
// Type-only: erased at run time, so the projector's index (and what it loads) stays out of this process.
import type { AccountKeys, TransactionEntry } from '../projector/index.ts';

/**
 * Newest-first page of an account's transactions (scored by revision), optionally limited to the
 * half-open time range [from, to). The time range is turned into a revision range through the balance
 * history (scored by time): within one stream the command API stamps occurredAt as it appends in
 * revision order, so time order and revision order agree. Both keys share the account's hash slot.
 * KEYS: transactions, balance history. ARGV: limit, before revision, from ms, to ms ('' = none).
 */
const TRANSACTIONS_SCRIPT = `
local upper, lower = math.huge, -1
if ARGV[2] ~= '' then upper = tonumber(ARGV[2]) - 1 end
if ARGV[3] ~= '' then
  local first = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], '+inf', 'LIMIT', 0, 1)
  if #first == 0 then return {} end
  lower = tonumber(string.match(first[1], '^(%d+):'))
end
if ARGV[4] ~= '' then
  local last = redis.call('ZREVRANGEBYSCORE', KEYS[2], '(' .. ARGV[4], '-inf', 'LIMIT', 0, 1)
  if #last == 0 then return {} end
  upper = math.min(upper, tonumber(string.match(last[1], '^(%d+):')))
end
if upper < lower then return {} end
local max = '+inf'
if upper ~= math.huge then max = string.format('%d', upper) end
return redis.call('ZREVRANGEBYSCORE', KEYS[1], max, string.format('%d', lower), 'LIMIT', 0, tonumber(ARGV[1]))
`;

export interface TransactionsPageRequest {
  readonly limit: number;
  readonly beforeRevision?: number | undefined;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
}

export async function readTransactionsPage(redis: RedisClient, keys: AccountKeys, request: TransactionsPageRequest): Promise<TransactionEntry[]> {
  const optional = (value: number | undefined): string => (value === undefined ? '' : String(value));
  const reply = (await redis.eval(TRANSACTIONS_SCRIPT, {
    keys: [keys.transactions, keys.balanceHistory],
    arguments: [String(request.limit), optional(request.beforeRevision), optional(request.fromMs), optional(request.toMs)],
  })) as string[];
  return reply.map((member) => JSON.parse(member) as TransactionEntry);
}
