/**
 * Presence lives in Redis, not PostgreSQL: it changes every few seconds per agent and is worthless
 * a minute later. Per conversation a hash `<prefix>:presence:<agencyId>:<conversationId>` maps a
 * user id to their entry (JSON); one sorted set `<prefix>:presence:expiry` scores
 * `<agencyId>:<conversationId>:<userId>` by expiry time, so any API process can find what expired.
 * Each change is a Lua script: atomic, so two processes never both report the same expiry and a
 * heartbeat cannot interleave with a removal. (Keys built inside SWEEP assume one Redis node, like
 * the queues; Redis Cluster would need hash tags.)
 */

/** KEYS: hash, expiry set. ARGV: userId, member, state, now, name, expiresAt, brandId, connId, hashTtlMs. Returns 1 when the state changed. */
export const SET_PRESENCE = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
local since = tonumber(ARGV[4])
local changed = 1
if old then
  local o = cjson.decode(old)
  if o.state == ARGV[3] then since = tonumber(o.since); changed = 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({
  userId = ARGV[1], name = ARGV[5], state = ARGV[3], since = since,
  expiresAt = tonumber(ARGV[6]), brandId = ARGV[7], connId = ARGV[8]
}))
redis.call('PEXPIRE', KEYS[1], ARGV[9])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[2])
return changed`;

/**
 * KEYS: hash, expiry set. ARGV: userId, member, connId ('' removes whoever set it). Returns the
 * removed entry, or nil when there was none (or another socket wrote it last).
 */
export const REMOVE_PRESENCE = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return nil end
if ARGV[3] ~= '' and cjson.decode(old).connId ~= ARGV[3] then return nil end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return old`;

/** KEYS: expiry set. ARGV: now, hash key prefix, batch size. Returns "<agencyId>:<conversationId>:<brandId>" per removed entry. */
export const SWEEP_PRESENCE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local gone = {}
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  local agency, conversation, user = string.match(m, '^([^:]+):([^:]+):([^:]+)$')
  if agency then
    local h = ARGV[2] .. agency .. ':' .. conversation
    local v = redis.call('HGET', h, user)
    if v then
      local e = cjson.decode(v)
      if tonumber(e.expiresAt) <= tonumber(ARGV[1]) then
        redis.call('HDEL', h, user)
        table.insert(gone, agency .. ':' .. conversation .. ':' .. e.brandId)
      end
    end
  end
end
return gone`;
