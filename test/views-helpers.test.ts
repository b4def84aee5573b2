import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createViews, formatAgo, formatDuration, relativeTo, toolTarget} from '../source/core/views/index.js';
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
	assert.equal(formatAgo(T0, T0 + 65_000), '1m05s ago');
});

test('relativeTo and toolTarget', () => {
	assert.equal(relativeTo('/home/u/app/src/a.ts', '/home/u/app'), 'src/a.ts');
	assert.equal(relativeTo('/home/u/app/src/a.ts', '/home/u/app/'), 'src/a.ts');
	assert.equal(relativeTo('/home/u/application/a.ts', '/home/u/app'), '/home/u/application/a.ts', 'a sibling with the same prefix is not under it');
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
	assert.deepEqual([v.tools(T0).length, v.agents(T0).length, v.files().length, v.sessions(T0).length, v.todos().length], [0, 0, 0, 0, 0]);
	v.applyMany(seq([0, hookEvents.SessionStart]));
	assert.equal(v.sessions(T0).length, 1);
});

test('unknown events are counted for their session and change nothing else; a bad time takes the latest seen', () => {
	const v = createViews();
	v.applyMany(seq(
		[0, hook('UserPromptSubmit', {prompt: 'go'})],
		[10, hook('SomeFutureEvent', {whatever: {nested: true}})],
		[20, hookEvents.WorktreeCreate],
	));
	const bad = {...rec(pre('Bash', 'b1', inputs.bashTest), 30), time: 'not a time'};
	v.apply(bad);
	const [s] = v.sessions(T0 + 40);
	assert.equal(s.eventCount, 4);
	assert.equal(s.state, 'working');
	const [call] = v.tools(T0 + 40);
	assert.equal(call.start, T0 + 20);
	assert.equal(call.durationMs, 20);
});
