import {test} from 'node:test';
import assert from 'node:assert/strict';
import {compileFilter, matchFilter, parseFilter} from '../source/core/filter.js';
import {normalize} from '../source/core/normalize.js';
import type {EventRecord} from '../source/core/record.js';
import {
	AGENT_ID,
	SESSION_ID,
	common,
	hookEvents,
	issueEnvelope,
	sessionFlow,
} from './fixtures/hook-payloads.js';

function records(): EventRecord[] {
	const inputs = [
		...sessionFlow,
		hookEvents.StopFailure,
		issueEnvelope,
		common('Stop', {session_id: 'ffff0000-other'}),
	];
	return inputs.map((payload, i) => {
		const r = normalize(payload, {id: `id-${i + 1}`, receivedAt: '2026-11-23T10:00:00.000Z', source: 'hook'});
		assert.ok(r.ok);
		return {seq: i + 1, ...r.record};
	});
}

const all = records();

function select(query: string): EventRecord[] {
	const c = compileFilter(query);
	assert.ok(c.ok, `filter ${query}: ${JSON.stringify(c)}`);
	const viaCompiled = all.filter(c.test);
	const parsed = parseFilter(query);
	assert.ok(parsed.ok);
	assert.deepEqual(
		all.filter((r) => matchFilter(r, parsed.filter)),
		viaCompiled,
		'matchFilter and compileFilter agree',
	);
	return viaCompiled;
}

const types = (rs: EventRecord[]) => rs.map((r) => r.type);
const summaries = (rs: EventRecord[]) => rs.map((r) => r.summary);

test('empty query matches everything', () => {
	assert.equal(select('').length, all.length);
	assert.equal(select('   ').length, all.length);
});

test('parseFilter gives terms, free text and the source query', () => {
	const r = parseFilter('type:PreToolUse tool:Read,Edit -type:Notification free "quoted phrase" -noise');
	assert.ok(r.ok);
	assert.deepEqual(r.filter, {
		terms: [
			{key: 'type', values: ['PreToolUse'], negate: false},
			{key: 'tool', values: ['Read', 'Edit'], negate: false},
			{key: 'type', values: ['Notification'], negate: true},
			{key: 'text', values: ['noise'], negate: true},
		],
		text: ['free', 'quoted phrase'],
		source: 'type:PreToolUse tool:Read,Edit -type:Notification free "quoted phrase" -noise',
		unknownTypes: [],
	});
	const quotedValue = parseFilter('cwd:"/home/u/my app" tool:"Read,Edit"');
	assert.ok(quotedValue.ok);
	assert.deepEqual(quotedValue.filter.terms[0].values, ['/home/u/my app']);
	assert.deepEqual(quotedValue.filter.terms[1].values, ['Read,Edit'], 'a quoted value is one value');
});

test('type: exact, case-insensitive, prefix with *, negation', () => {
	assert.deepEqual(
		types(select('type:pretooluse')),
		Array(types(all).filter((t) => t === 'PreToolUse').length).fill('PreToolUse'),
	);
	assert.deepEqual([...new Set(types(select('type:Post*')))].sort(), ['PostToolUse', 'PostToolUseFailure']);
	assert.equal(select('type:Pre').length, 0, 'no implicit prefix');
	const notPre = select('-type:PreToolUse');
	assert.ok(notPre.length > 0 && notPre.every((r) => r.type !== 'PreToolUse'));
	assert.equal(select('type:PreToolUse').length + notPre.length, all.length);
});

test('tool: exact, case-insensitive, comma = any of', () => {
	assert.deepEqual([...new Set(select('tool:bash').map((r) => r.tool))], ['Bash']);
	assert.deepEqual([...new Set(select('tool:Read,Edit').map((r) => r.tool))].sort(), ['Edit', 'Read']);
	assert.equal(select('tool:Rea').length, 0);
	assert.deepEqual(types(select('type:PreToolUse tool:Bash')), ['PreToolUse', 'PreToolUse']);
});

test('session prefix, source, cwd substring, id prefix', () => {
	assert.equal(select(`session:${SESSION_ID.slice(0, 4)}`).length, sessionFlow.length + 1);
	assert.deepEqual(summaries(select('session:ffff')), ['stop']);
	assert.deepEqual(types(select('session:S1')), ['PreToolUse'], 'case-insensitive');
	assert.deepEqual(types(select('source:mpm')), ['PreToolUse']);
	assert.equal(select('cwd:HOME/U').length, all.length - 1, 'the envelope has no cwd');
	assert.deepEqual(
		select('id:id-3').map((r) => r.seq),
		[3],
	);
});

test('agent: type exact, id prefix, main = no agent', () => {
	const byType = select('agent:explore');
	assert.equal(byType.length, 6);
	assert.deepEqual(select(`agent:${AGENT_ID.slice(0, 5)}`), byType);
	const main = select('agent:main');
	assert.equal(main.length + byType.length, all.length);
	assert.ok(main.every((r) => r.agentId === null));
	assert.equal(select('agent:general-purpose').length, 0);
});

test('seq comparisons', () => {
	assert.deepEqual(
		select('seq:>25').map((r) => r.seq),
		[26, 27, 28, 29],
	);
	assert.deepEqual(
		select('seq:<3').map((r) => r.seq),
		[1, 2],
	);
	assert.deepEqual(
		select('seq:>=28').map((r) => r.seq),
		[28, 29],
	);
	assert.deepEqual(
		select('seq:<=1').map((r) => r.seq),
		[1],
	);
	assert.deepEqual(
		select('seq:7').map((r) => r.seq),
		[7],
	);
	assert.deepEqual(
		select('seq:>2 seq:<5').map((r) => r.seq),
		[3, 4],
	);
});

test('is:error, is:prompt, is:subagent, is:tool', () => {
	assert.deepEqual(types(select('is:error')), ['PostToolUseFailure', 'StopFailure']);
	assert.deepEqual(summaries(select('is:prompt')), ['prompt  "fix the failing test"']);
	const sub = select('is:subagent');
	assert.equal(sub.length, 6);
	assert.ok(sub.every((r) => r.agentId !== null));
	assert.ok(select('is:tool').every((r) => r.tool !== null));
	assert.equal(select('-is:error').length, all.length - 2);
});

test('free text: case-insensitive substring over summary, type, tool, session, agent type, cwd; words AND', () => {
	assert.deepEqual(
		summaries(select('NPM TEST')).sort(),
		[
			'Bash  npm test',
			'failed  Bash  npm test: Command failed with exit code 1: 1 failing flaky.test.ts: expected 10, got 11',
		].sort(),
	);
	assert.deepEqual(summaries(select('"rm -rf"')), [
		'permission?  Bash  rm -rf dist',
		'Bash  rm -rf dist',
		'Bash  rm -rf dist',
	]);
	assert.equal(select('explore').length, 8, 'agent type and the Agent call summary');
	assert.equal(select('subagentstop').length, 1, 'type is searched');
	assert.equal(select('ffff0000').length, 1, 'session is searched');
	assert.equal(select('npm nothing-like-this').length, 0);
	assert.ok(select('-npm').every((r) => !r.summary.includes('npm')));
});

test('errors: unknown key, empty value, bad seq, unknown is:, unclosed quote', () => {
	const error = (q: string) => {
		const r = parseFilter(q);
		assert.equal(r.ok, false, q);
		const c = compileFilter(q);
		assert.equal(c.ok, false, q);
		return (r as {error: string}).error;
	};
	assert.match(
		error('colour:red'),
		/^unknown filter key "colour" \(known: type, tool, session, agent, source, cwd, seq, is, id;/,
	);
	assert.equal(error('tool:'), 'filter key "tool" needs a value, e.g. tool:Bash');
	assert.equal(error('tool:,'), 'filter key "tool" needs a value, e.g. tool:Bash');
	assert.equal(
		error('seq:abc'),
		'seq needs a number with an optional >, <, >= or <=, e.g. seq:>100, got "abc"',
	);
	assert.equal(error('is:happy'), 'unknown is: value "happy" (known: error, prompt, subagent, tool)');
	assert.match(error('type:Stop "open'), /^unclosed quote in filter at character 11/);
});

test('a colon inside quotes is free text, not a key', () => {
	const r = parseFilter('"exit code 1:" http');
	assert.ok(r.ok);
	assert.deepEqual(r.filter.text, ['exit code 1:', 'http']);
	assert.equal(select('"exit code 1:"').length, 1);
});
