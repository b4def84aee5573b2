/**
 * The one Redis script through which a team instance adds events (docs/team.md, "Seq"). Atomic,
 * as every Redis script is, so that seqs are given without gaps and in the stream's order:
 * 1. the team counter is raised to the instance's floor (the highest team seq it has seen), so a
 *    Redis that lost its data (FLUSHALL, a restart without persistence) never gives a seq again;
 * 2. each event whose journal seq is above the instance's shipped mark gets the next seq
 *    (INCR) and is added to the stream (XADD, trimmed to about MAXLEN); events at or below the
 *    mark were shipped before (a retry after a lost answer) and are skipped;
 * 3. the instance's shipped mark is moved to the last journal seq taken.
 * A script's writes are not undone when a later command in it fails, so everything that can be
 * refused is checked before the first write (the keys' types, the counter's value); past that,
 * each event takes its seq (INCR) before it is added, so a failure can leave a gap, never a seq
 * given twice.
 * KEYS: counter, stream, shipped marks (a hash by instance). ARGV: instance, floor, maxlen, then
 * pairs of (journal seq, the record's line without its seq). Answers {counter, added, shipped}.
 */
export const SHIP_SCRIPT = `
local streamType = redis.call('TYPE', KEYS[2]).ok
if streamType ~= 'stream' and streamType ~= 'none' then
	return redis.error_reply('WRONGTYPE ' .. KEYS[2] .. ' is a ' .. streamType .. ', not a stream')
end
local shipped = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
local shippedText = nil
local counter = tonumber(redis.call('GET', KEYS[1]) or '0')
if counter == nil then return redis.error_reply('ERR ' .. KEYS[1] .. ' does not hold a number') end
if counter < tonumber(ARGV[2]) then
	redis.call('SET', KEYS[1], ARGV[2])
	counter = tonumber(ARGV[2])
end
local added = 0
for i = 4, #ARGV, 2 do
	local journalSeq = tonumber(ARGV[i])
	if journalSeq > shipped then
		counter = redis.call('INCR', KEYS[1])
		redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 's', counter, 'r', ARGV[i + 1])
		shipped = journalSeq
		shippedText = ARGV[i]
		added = added + 1
	end
end
if shippedText then redis.call('HSET', KEYS[3], ARGV[1], shippedText) end
return {counter, added, shipped}
`;

/** Redis keys of a team (one team per Redis database). */
export const TEAM_KEYS = {
	counter: 'mpm-tui:seq',
	stream: 'mpm-tui:events',
	shipped: 'mpm-tui:shipped',
	/** The Socket.IO adapter's own stream and session keys. */
	adapterStream: 'mpm-tui:socket.io',
	adapterSessions: 'mpm-tui:sio-session:',
} as const;
