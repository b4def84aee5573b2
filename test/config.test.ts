import {test} from 'node:test';
import assert from 'node:assert/strict';
import {checkBindSecurity, ConfigError, numberFlag, resolveConfig} from '../source/config.js';

const home = '/home/u';

test('defaults: loopback 8765, journal and spool under the XDG state dir', () => {
	const c = resolveConfig({}, {}, home);
	assert.equal(c.port, 8765);
	assert.equal(c.host, '127.0.0.1');
	assert.equal(c.url, 'http://127.0.0.1:8765');
	assert.equal(c.journal, '/home/u/.local/state/mpm-tui/journal.ndjson');
	assert.equal(c.spool, '/home/u/.local/state/mpm-tui/spool.ndjson');
	assert.equal(c.history, 10_000);
	assert.equal(c.forcedConnect, false);
});

test('flags beat MPM_TUI_* which beat CLAUDE_MPM_* aliases', () => {
	assert.equal(resolveConfig({}, {CLAUDE_MPM_SOCKETIO_PORT: '9000'}, home).port, 9000);
	assert.equal(resolveConfig({}, {CLAUDE_MPM_SOCKETIO_PORT: '9000', MPM_TUI_PORT: '9100'}, home).port, 9100);
	assert.equal(resolveConfig({port: 9200}, {MPM_TUI_PORT: '9100'}, home).port, 9200);
	assert.equal(resolveConfig({}, {CLAUDE_MPM_SOCKETIO_TOKEN: 's3'}, home).token, 's3');
	assert.equal(resolveConfig({}, {CLAUDE_MPM_BIND_HOST: '127.0.0.2'}, home).host, '127.0.0.2');
});

test('--no-journal and --journal PATH', () => {
	assert.equal(resolveConfig({journal: false}, {}, home).journal, null);
	assert.equal(resolveConfig({journal: '/tmp/j.ndjson'}, {}, home).journal, '/tmp/j.ndjson');
});

test('bad numbers and URLs get a specific error', () => {
	assert.throws(
		() => resolveConfig({}, {MPM_TUI_PORT: 'abc'}, home),
		(e: unknown) => e instanceof ConfigError && /--port must be a whole number/.test(e.message),
	);
	assert.throws(() => resolveConfig({port: 70000}, {}, home), ConfigError);
	assert.throws(() => resolveConfig({connect: 'localhost:8765'}, {}, home), /--connect takes a URL/);
});

test('a non-loopback bind needs a token', () => {
	assert.equal(checkBindSecurity({host: '127.0.0.1', token: undefined}), null);
	assert.equal(checkBindSecurity({host: '::1', token: undefined}), null);
	assert.match(
		checkBindSecurity({host: '0.0.0.0', token: undefined}) ?? '',
		/refusing to listen on 0\.0\.0\.0 without a token/,
	);
	assert.equal(checkBindSecurity({host: '0.0.0.0', token: 'x'}), null);
});

test('--redis and MPM_TUI_REDIS_URL: off by default, the flag beats the variable, the journal is needed', () => {
	assert.equal(resolveConfig({}, {}, home).redis, null);
	assert.deepEqual(resolveConfig({}, {MPM_TUI_REDIS_URL: 'redis://:pw@10.0.0.5:6379/1'}, home).redis, {
		url: 'redis://:pw@10.0.0.5:6379/1',
		redacted: 'redis://:***@10.0.0.5:6379/1',
	});
	assert.equal(
		resolveConfig({redis: 'rediss://r.example:6380'}, {MPM_TUI_REDIS_URL: 'redis://a:6379'}, home).redis?.url,
		'rediss://r.example:6380',
	);
	assert.throws(() => resolveConfig({redis: 'http://a:6379'}, {}, home), ConfigError);
	assert.throws(
		() => resolveConfig({redis: 'redis://a:6379', journal: false}, {}, home),
		/--redis needs the journal/,
	);
	assert.throws(
		() => resolveConfig({}, {MPM_TUI_REDIS_URL: 'redis://a:6379', MPM_TUI_NO_JOURNAL: '1'}, home),
		/--redis needs the journal/,
	);
});

test('a switch left out (undefined) leaves its variable in force; given, it beats it', () => {
	const keep = (flag: boolean | undefined, value?: string) =>
		resolveConfig(
			{otelKeepIdentity: flag},
			value === undefined ? {} : {MPM_TUI_OTEL_KEEP_IDENTITY: value},
			home,
		).otelKeepIdentity;
	assert.equal(keep(undefined), false);
	assert.equal(keep(undefined, '1'), true);
	assert.equal(keep(undefined, 'true'), true);
	assert.equal(keep(false, '1'), false);
	assert.equal(keep(true, '0'), true);
});

test('numbers are decimal digits as typed: exponent, hex, sign, blanks and the empty value are refused', () => {
	for (const raw of ['1e3', '0x10', '+5', ' 80', '80 ', '', '8.0', 'Infinity']) {
		assert.throws(
			() => resolveConfig({port: raw}, {}, home),
			(e: unknown) =>
				e instanceof ConfigError &&
				e.message === `--port must be a whole number from 0 to 65535, got ${JSON.stringify(raw)}`,
		);
		assert.throws(() => resolveConfig({}, {MPM_TUI_HISTORY: raw || 'x'}, home), ConfigError);
	}
	assert.equal(resolveConfig({port: '0'}, {}, home).port, 0);
	assert.equal(resolveConfig({port: '08080'}, {}, home).port, 8080);
	assert.equal(resolveConfig({}, {MPM_TUI_PORT: ''}, home).port, 8765, 'an empty variable is unset');
	assert.equal(numberFlag(undefined, 'whole', 'x'), undefined);
	assert.equal(numberFlag('12', 'whole', 'x'), 12);
	assert.equal(numberFlag('0.25', 'positive', 'x'), 0.25);
	assert.throws(() => numberFlag('1.5', 'whole', '--lines must be a whole number from 0'), {
		message: '--lines must be a whole number from 0, got "1.5"',
	});
	assert.throws(() => numberFlag('1e1', 'positive', '--speed must be a number above 0'), {
		message: '--speed must be a number above 0, got "1e1"',
	});
	assert.throws(() => numberFlag('9'.repeat(400), 'positive', 'x'), ConfigError);
});
