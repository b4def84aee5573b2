import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	agoChangesIn,
	createViews,
	formatAgo,
	formatClock,
	formatDuration,
	relativeTo,
	toolTarget,
} from '../source/core/views/index.js';
import {hookEvents, sessionFlow} from './fixtures/hook-payloads.js';
import {hook, inputs, post, pre, rec, seq, T0} from './fixtures/view-sequences.js';

test('formatDuration', () => {
	assert.equal(formatDuration(0), '0ms');
	assert.equal(formatDuration(850), '850ms');
	assert.equal(formatDuration(999.6), '1000ms');
	assert.equal(formatDuration(2140), '2.1s');
	assert.equal(formatDuration(59_940), '59.9s');
	assert.equal(formatDuration(59_960), '1m00s');
	assert.equal(formatDuration(65_000), '1m05s');
	assert.equal(formatDuration(3_599_000), '59m59s');
	assert.equal(formatDuration(3_720_000), '1h02m');
	assert.equal(formatDuration(26 * 3_600_000 + 5 * 60_000), '1d02h');
	assert.equal(formatDuration(-5), '0ms');
	assert.equal(formatDuration(Number.NaN), '0ms');
	assert.equal(formatAgo(T0, T0 + 500), 'just now');
	assert.equal(formatAgo(T0, T0 + 999), 'just now');
	assert.equal(formatAgo(T0, T0 + 1000), '1s ago');
	assert.equal(formatAgo(T0, T0 + 47_900), '47s ago', 'whole seconds: the text changes once a second');
	assert.equal(
		formatAgo(T0, T0 + 65_000),
		'1m ago',
		'whole minutes after a minute: it changes once a minute',
	);
	assert.equal(formatAgo(T0, T0 + 3_599_999), '59m ago');
	assert.equal(formatAgo(T0, T0 + 3_720_000), '1h02m ago');
	assert.equal(formatAgo(T0, T0 + 26 * 3_600_000 + 5 * 60_000), '1d02h ago');
	assert.equal(formatAgo(T0, T0 - 5000), 'just now', 'a time ahead of this clock');
	assert.equal(formatAgo(Number.NaN, T0), 'just now');
});

test('formatClock: the local HH:MM:SS of epoch ms or an ISO stamp (the one clock of the Events and Tools tabs)', () => {
	assert.equal(formatClock(new Date(2024, 0, 2, 3, 4, 5, 999).getTime()), '03:04:05');
	assert.equal(formatClock(new Date(2024, 11, 31, 23, 59, 59).toISOString()), '23:59:59');
	assert.equal(formatClock(new Date(2024, 5, 6, 12, 0, 0).getTime()), '12:00:00');
	assert.equal(formatClock('not a time'), '--:--:--');
	assert.equal(formatClock(Number.NaN), '--:--:--');
});

test('agoChangesIn: exactly when formatAgo says something else', () => {
	assert.equal(agoChangesIn(T0, T0 + 400), 600);
	assert.equal(agoChangesIn(T0, T0 + 47_900), 100);
	assert.equal(agoChangesIn(T0, T0 + 65_000), 55_000, 'minutes: at the next whole minute');
	assert.equal(agoChangesIn(T0, T0 + 3_720_000), 60_000);
	assert.equal(
		agoChangesIn(T0, T0 + 26 * 3_600_000 + 5 * 60_000),
		55 * 60_000,
		'after a day: at the next whole hour',
	);
	assert.equal(agoChangesIn(T0, T0 - 5000), 6000, 'ahead of this clock: a second after it');
	assert.equal(agoChangesIn(Number.NaN, T0), null);
	// Against formatAgo itself at every step of a day and a half: the text is the same just before, different at the time given.
	for (
		let age = -3000;
		age < 36 * 3_600_000;
		age += age < 120_000 ? 137 : age < 90_000_000 ? 59_713 : 3_599_917
	) {
		const wait = agoChangesIn(T0, T0 + age)!;
		assert.ok(wait > 0, `${age}: ${wait}`);
		assert.equal(
			formatAgo(T0, T0 + age + wait - 1),
			formatAgo(T0, T0 + age),
			`unchanged until then (${age})`,
		);
		assert.notEqual(formatAgo(T0, T0 + age + wait), formatAgo(T0, T0 + age), `changed then (${age})`);
	}
});

test('relativeTo and toolTarget', () => {
	assert.equal(relativeTo('/home/u/app/src/a.ts', '/home/u/app'), 'src/a.ts');
	assert.equal(relativeTo('/home/u/app/src/a.ts', '/home/u/app/'), 'src/a.ts');
	assert.equal(
		relativeTo('/home/u/application/a.ts', '/home/u/app'),
		'/home/u/application/a.ts',
		'a sibling with the same prefix is not under it',
	);
	assert.equal(relativeTo('/home/u/app', '/home/u/app'), '.');
	assert.equal(relativeTo('/home/u/app/x/../y.ts', '/home/u/app'), 'y.ts');
	assert.equal(relativeTo('C:\\Users\\u\\app\\src\\a.ts', 'C:\\Users\\u\\app'), 'src\\a.ts');
	assert.equal(relativeTo('/a/b', null), '/a/b');
	assert.equal(toolTarget('Grep', {pattern: 'x'}, null), 'x');
	assert.equal(toolTarget('WebSearch', {query: 'ink 6 docs'}, null), 'ink 6 docs');
	assert.equal(toolTarget('Bash', null, null), '');
	assert.equal(toolTarget('Bash', {command: 'x'.repeat(500)}, null).length, 200);
	assert.equal(toolTarget('SomeNewTool', {file_path: '/w/a.txt'}, '/w'), 'a.txt');
});

test('a record already applied (same id) is ignored; version grows per applied record', () => {
	const v = createViews();
	const records = seq([0, pre('Read', 'r1', inputs.readApp)], [10, post('Read', 'r1', inputs.readApp, {})]);
	v.applyMany(records);
	const after = v.version;
	assert.equal(after, 2);
	v.applyMany(records);
	assert.equal(v.version, after);
	assert.equal(v.files()[0].reads, 1);
	assert.equal(v.sessions(T0 + 20)[0].eventCount, 2);
});

test('reset empties every view and bumps the version', () => {
	const v = createViews();
	v.applyMany(seq(...sessionFlow.map((p, i): [number, typeof p] => [i * 1000, p])));
	const before = v.version;
	v.reset();
	assert.ok(v.version > before);
	assert.deepEqual(
		[v.tools(T0).length, v.agents(T0).length, v.files().length, v.sessions(T0).length, v.todos().length],
		[0, 0, 0, 0, 0],
	);
	v.applyMany(seq([0, hookEvents.SessionStart]));
	assert.equal(v.sessions(T0).length, 1);
});

test('unknown events are counted for their session and change nothing else; a bad time takes the latest seen', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, hook('UserPromptSubmit', {prompt: 'go'})],
			[10, hook('SomeFutureEvent', {whatever: {nested: true}})],
			[20, hookEvents.WorktreeCreate],
		),
	);
	const bad = {...rec(pre('Bash', 'b1', inputs.bashTest), 30), time: 'not a time'};
	v.apply(bad);
	const [s] = v.sessions(T0 + 40);
	assert.equal(s.eventCount, 4);
	assert.equal(s.state, 'working');
	const [call] = v.tools(T0 + 40);
	assert.equal(call.start, T0 + 20);
	assert.equal(call.durationMs, 20);
});
