import type { RedisClient } from '../platform/index.ts';

/** A position in a score-ordered list: members with equal scores are ordered by member, as Redis does. */
export interface KeysetPosition {
  readonly score: string;
  readonly member: string;
}

/**
 * One page of members after a position, merged across sorted sets of one hash slot, in one round trip.
 * Keyset rather than offset: a member inserted before the position while a client pages cannot shift
 * the rest of the list, so no member is seen twice or skipped. Ties on the score (many accounts with a
 * zero balance) are passed over inside Redis, batch by batch.
 * KEYS: the sorted sets. ARGV: limit, descending (1|0), has position (1|0), position score, position member.
 * Answers member, score pairs; scores as Redis printed them, so none loses precision in Lua's numbers.
 */
const PAGE_SCRIPT = `
local limit = tonumber(ARGV[1])
local desc = ARGV[2] == '1'
local hasPosition = ARGV[3] == '1'
local pscore, pmember = tonumber(ARGV[4]), ARGV[5]
local function isAfter(score, member)
  if not hasPosition then return true end
  if desc then return score < pscore or (score == pscore and member < pmember) end
  return score > pscore or (score == pscore and member > pmember)
end
local found = {}
for _, key in ipairs(KEYS) do
  local offset, taken = 0, 0
  local from = hasPosition and ARGV[4] or (desc and '+inf' or '-inf')
  while taken < limit do
    local batch
    if desc then
      batch = redis.call('ZREVRANGEBYSCORE', key, from, '-inf', 'WITHSCORES', 'LIMIT', offset, limit)
    else
      batch = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', offset, limit)
    end
    for i = 1, #batch, 2 do
      if taken < limit and isAfter(tonumber(batch[i + 1]), batch[i]) then
        found[#found + 1] = {tonumber(batch[i + 1]), batch[i], batch[i + 1]}
        taken = taken + 1
      end
    end
    if #batch < 2 * limit then break end
    offset = offset + limit
  end
end
table.sort(found, function(a, b)
  if a[1] ~= b[1] then
    if desc then return a[1] > b[1] end
    return a[1] < b[1]
  end
  if desc then return a[2] > b[2] end
  return a[2] < b[2]
end)
local page = {}
for i = 1, math.min(limit, #found) do
  page[#page + 1] = found[i][2]
  page[#page + 1] = found[i][3]
end
return page
`;

export interface KeysetPageRequest {
  readonly keys: readonly string[];
  readonly limit: number;
  readonly descending: boolean;
  readonly after?: KeysetPosition | undefined;
}

export async function readKeysetPage(redis: RedisClient, request: KeysetPageRequest): Promise<KeysetPosition[]> {
  if (request.keys.length === 0) return [];
  const { after } = request;
  // EVAL with the source each time: Redis keeps compiled scripts by hash, so this costs only the bytes.
  const reply = (await redis.eval(PAGE_SCRIPT, {
    keys: [...request.keys],
    arguments: [String(request.limit), request.descending ? '1' : '0', after ? '1' : '0', after?.score ?? '0', after?.member ?? ''],
  })) as string[];
  const page: KeysetPosition[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) page.push({ member: reply[i]!, score: reply[i + 1]! });
  return page;
}
