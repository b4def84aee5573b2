/** The `--redis` URL check (core/redis-url.ts) and the team stream's line split (core/team-line.ts). */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseRedisUrl} from '../source/core/redis-url.js';
import {joinSeq, splitSeq} from '../source/core/team-line.js';

test('redis:// and rediss:// URLs are taken; the password is shown as ***', () => {
	const plain = parseRedisUrl('redis://127.0.0.1:6379');
	assert.deepEqual(plain, {ok: true, url: 'redis://127.0.0.1:6379', redacted: 'redis://127.0.0.1:6379'});
	const secret = parseRedisUrl('rediss://team:s3cr%2Ft@redis.example:6380/2');
	assert.equal(secret.ok, true);
	if (secret.ok) {
		assert.equal(secret.url, 'rediss://team:s3cr%2Ft@redis.example:6380/2');
		assert.equal(secret.redacted, 'rediss://team:***@redis.example:6380/2');
	}
});

test('anything else is refused with the reason, never echoing a password', () => {
	const cases: Array<[string, RegExp]> = [
		['http://127.0.0.1:6379', /redis:\/\/ or rediss:\/\//],
		['redis://:pw@127.0.0.1:6379/x', /database number/],
		['redis://127.0.0.1:6379/0?x=1', /no query/],
		['no url at all :pw@', /must be a URL/],
		['redis://', /needs a host/],
	];
	for (const [raw, reason] of cases) {
		const parsed = parseRedisUrl(raw);
		assert.equal(parsed.ok, false, raw);
		if (!parsed.ok) {
			assert.match(parsed.error, reason, raw);
			assert.ok(!parsed.error.includes('pw'), parsed.error);
		}
	}
});

test('a record line splits into its seq and the rest, and joins back with another seq', () => {
	const line = '{"seq":41,"id":"x","payload":{"a":"{\\"seq\\":1,"}}';
	const split = splitSeq(line);
	assert.deepEqual(split, {seq: 41, rest: '"id":"x","payload":{"a":"{\\"seq\\":1,"}}'});
	assert.equal(joinSeq(7, split!.rest), '{"seq":7,"id":"x","payload":{"a":"{\\"seq\\":1,"}}');
	assert.deepEqual(JSON.parse(joinSeq(7, split!.rest)), {...JSON.parse(line), seq: 7});
	for (const bad of ['{"seq":41', '{"id":"x","seq":4}', '', '{"seq":-1,"a":1}'])
		assert.equal(splitSeq(bad), null, bad);
});
