import type { Redis } from 'ioredis';
import type { SignInCounters, ThrottleKey } from '../auth/signInLimiter.ts';
import type { Clock } from '../services/autoVersions.ts';

/**
 * Failed sign-ins counted in Redis, so every process judges an attempt by the same counters. The
 * same rules as SignInThrottle (server/auth/signInLimiter.ts): free failures, then waits doubling
 * up to a cap, a counter forgotten after a quiet period. Each counter is a hash {f: failures,
 * t: time of the last failure}, expiring with its quiet period; checking and counting are one
 * script, so concurrent guesses through different processes cannot all pass before one counts.
 */
export function redisSignInCounters(redis: Redis, prefix: string, clock: Clock): SignInCounters {
  const redisKey = (k: ThrottleKey) => `${prefix}signin:${k.key}`;
  return {
    async begin(keys) {
      const now = clock.now();
      const args = keys.flatMap(({ policy }) => [policy.freeFailures, policy.firstDelayMs, policy.maxDelayMs, policy.forgetAfterMs]);
      const reply = (await redis.eval(BEGIN, keys.length, ...keys.map(redisKey), now, ...args)) as [number, ...string[]];
      const [waitMs, ...previous] = reply;
      if (waitMs > 0) return { waitMs, undo: async () => {} };
      return {
        waitMs: 0,
        undo: async () => {
          // Only this attempt's own failure is taken back: others counted meanwhile stay.
          await Promise.all(keys.map((k, i) => redis.eval(UNDO, 1, redisKey(k), now, previous[i] ?? '')));
        },
      };
    },
    async clear(key) {
      await redis.del(redisKey(key));
    },
  };
}

// KEYS: the counters. ARGV: now, then per counter: free failures, first delay, cap, quiet period.
// Returns {0, previous last-failure time per counter ('' when none)} when the attempt was counted,
// or {wait in ms} when it must wait first.
const BEGIN = `
local now = tonumber(ARGV[1])
local function policy(i)
  local b = 1 + (i - 1) * 4
  return tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
end
local wait = 0
for i, key in ipairs(KEYS) do
  local free, first, cap, forget = policy(i)
  local f = tonumber(redis.call('HGET', key, 'f') or '0')
  local t = tonumber(redis.call('HGET', key, 't') or '0')
  if f > 0 and now - t < forget and f >= free then
    local delay = math.min(cap, first * 2 ^ math.min(f - free, 30))
    wait = math.max(wait, t + delay - now)
  end
end
if wait > 0 then return {wait} end
local reply = {0}
for i, key in ipairs(KEYS) do
  local free, first, cap, forget = policy(i)
  local t = redis.call('HGET', key, 't')
  if t and now - tonumber(t) >= forget then
    redis.call('DEL', key)
    t = false
  end
  redis.call('HINCRBY', key, 'f', 1)
  redis.call('HSET', key, 't', ARGV[1])
  redis.call('PEXPIRE', key, forget)
  reply[i + 1] = t or ''
end
return reply
`;

// KEYS: one counter. ARGV: the attempt's time, the last-failure time before it ('' when none).
const UNDO = `
local f = redis.call('HINCRBY', KEYS[1], 'f', -1)
if f <= 0 then
  redis.call('DEL', KEYS[1])
elseif ARGV[2] ~= '' and redis.call('HGET', KEYS[1], 't') == ARGV[1] then
  redis.call('HSET', KEYS[1], 't', ARGV[2])
end
return f
`;
