import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createViews, sortToolCalls, type ToolCall} from '../source/core/views/index.js';
import {envelope, hookEvents, interruptedBash, mpmEnvelopes, SESSION_ID} from './fixtures/hook-payloads.js';
import {
	failure,
	hook,
	inAgent,
	inputs,
	OTHER_CWD,
	OTHER_SESSION,
	post,
	pre,
	seq,
	T0,
} from './fixtures/view-sequences.js';

const MIN = 60_000;

function byId(rows: ToolCall[], id: string): ToolCall {
	const row = rows.find((r) => r.id === id);
	assert.ok(row, `no tool call ${id}`);
	return row;
}

test('parallel calls: two Reads and a Grep interleaved pair by tool_use_id, not by order', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Read', 'toolu_A', inputs.readApp)],
			[5, pre('Read', 'toolu_B', inputs.readCli)],
			[8, pre('Grep', 'toolu_C', inputs.grepTodo)],
			[40, post('Read', 'toolu_B', inputs.readCli, {type: 'text'}, {duration_ms: 33})],
			[55, post('Grep', 'toolu_C', inputs.grepTodo, {numFiles: 3})],
			[70, failure('Read', 'toolu_A', inputs.readApp, 'File does not exist.', false, {duration_ms: 69})],
		),
	);
	const rows = v.tools(T0 + 100);
	assert.equal(rows.length, 3);
	assert.deepEqual(
		rows.map((r) => r.id),
		['toolu_C', 'toolu_B', 'toolu_A'],
		'newest first',
	);
	const a = byId(rows, 'toolu_A');
	assert.equal(a.status, 'failed');
	assert.equal(a.error, 'File does not exist.');
	assert.equal(a.durationMs, 69);
	assert.equal(a.target, 'source/app.tsx');
	assert.equal(byId(rows, 'toolu_B').durationMs, 33, 'duration_ms is used when given');
	assert.equal(byId(rows, 'toolu_B').target, 'source/cli.tsx');
	const c = byId(rows, 'toolu_C');
	assert.equal(c.status, 'ok');
	assert.equal(c.durationMs, 47, 'without duration_ms: the time difference');
	assert.equal(c.target, 'TODO  in source');
	assert.equal(c.agent, 'main');
	assert.equal(c.session, SESSION_ID);
});

test('a running call reports elapsed time against now; sort by duration', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Bash', 'toolu_long', inputs.bashTest)],
			[1000, pre('Read', 'toolu_short', inputs.readApp)],
			[1010, post('Read', 'toolu_short', inputs.readApp, {}, {duration_ms: 10})],
		),
	);
	const rows = v.tools(T0 + 4000);
	const bash = byId(rows, 'toolu_long');
	assert.equal(bash.status, 'running');
	assert.equal(bash.durationMs, 4000);
	assert.equal(bash.end, null);
	assert.equal(v.tools(T0 + 9000).find((r) => r.id === 'toolu_long')!.durationMs, 9000, 'ticks with now');
	assert.deepEqual(
		sortToolCalls(rows, 'duration').map((r) => r.id),
		['toolu_long', 'toolu_short'],
	);
	assert.deepEqual(
		sortToolCalls(rows, 'time').map((r) => r.id),
		['toolu_short', 'toolu_long'],
	);
});

test('out of order: PostToolUse before its PreToolUse pairs into one ok call', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[500, post('Bash', 'toolu_X', inputs.bashTest, {stdout: 'ok'}, {duration_ms: 480})],
			[20, pre('Bash', 'toolu_X', inputs.bashTest)],
		),
	);
	const rows = v.tools(T0 + 600);
	assert.equal(rows.length, 1);
	assert.equal(rows[0].status, 'ok');
	assert.equal(rows[0].start, T0 + 20, 'the Pre gives the real start');
	assert.equal(rows[0].durationMs, 480);
	assert.equal(rows[0].target, 'npm test');
});

test('a Post alone (Pre lost) still makes a call, started duration_ms before it', () => {
	const v = createViews();
	v.apply(seq([3000, post('Read', 'toolu_lonely', inputs.readApp, {}, {duration_ms: 250})])[0]);
	const [row] = v.tools(T0 + 4000);
	assert.equal(row.status, 'ok');
	assert.equal(row.start, T0 + 2750);
	assert.equal(row.durationMs, 250);
});

test('interrupted tool: PostToolUseFailure with is_interrupt', () => {
	const v = createViews();
	v.applyMany(
		seq([0, pre('Bash', 'toolu_01InterruptedWatch', {command: 'npm run watch'})], [5400, interruptedBash]),
	);
	const [row] = v.tools(T0 + 6000);
	assert.equal(row.status, 'interrupted');
	assert.equal(row.durationMs, 5400);
	assert.equal(row.error, 'Interrupted by user');
});

test('a call with no end is lost after the timeout (configurable), and a late end still wins', () => {
	const v = createViews({toolTimeoutMs: 5 * MIN});
	v.apply(seq([0, pre('Bash', 'toolu_hang', inputs.bashWatch)])[0]);
	assert.equal(v.tools(T0 + 5 * MIN).at(0)!.status, 'running');
	const late = v.tools(T0 + 5 * MIN + 1).at(0)!;
	assert.equal(late.status, 'lost');
	assert.equal(late.interruptedBy, null);
	assert.equal(late.durationMs, null);
	const d = createViews();
	d.apply(seq([0, pre('Bash', 'toolu_hang2', inputs.bashWatch)])[0]);
	assert.equal(d.tools(T0 + 10 * MIN).at(0)!.status, 'running', 'default timeout is 10 minutes');
	assert.equal(d.tools(T0 + 10 * MIN + 1).at(0)!.status, 'lost');
	v.apply(seq([6 * MIN, post('Bash', 'toolu_hang', inputs.bashWatch, {stdout: ''})])[0]);
	const ended = v.tools(T0 + 7 * MIN).at(0)!;
	assert.equal(ended.status, 'ok');
	assert.equal(ended.durationMs, 6 * MIN);
});

test("a call with no end is interrupted: by session end, all of them; by Stop, only the main agent's", () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Bash', 'toolu_main', inputs.bashWatch)],
			[
				10,
				inAgent('agent_bg', 'general-purpose', 'PreToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_use_id: 'toolu_sub',
				}),
			],
			[20, pre('Bash', 'toolu_other', inputs.bashWatch, {session_id: OTHER_SESSION, cwd: OTHER_CWD})],
			[100, hook('Stop', {stop_hook_active: false, last_assistant_message: 'done'})],
		),
	);
	let rows = v.tools(T0 + 200);
	assert.equal(byId(rows, 'toolu_main').status, 'interrupted');
	assert.equal(byId(rows, 'toolu_main').interruptedBy, 'stop');
	assert.equal(byId(rows, 'toolu_sub').status, 'running', 'a (background) subagent goes on after Stop');
	assert.equal(byId(rows, 'toolu_other').status, 'running', 'another session is not touched');
	v.apply(seq([300, hook('SessionEnd', {reason: 'prompt_input_exit'})])[0]);
	rows = v.tools(T0 + 400);
	assert.equal(byId(rows, 'toolu_sub').status, 'interrupted');
	assert.equal(byId(rows, 'toolu_sub').interruptedBy, 'session-end');
	assert.equal(byId(rows, 'toolu_other').status, 'running');
});

test('tools run by a subagent carry its agent id and type', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[
				0,
				inAgent('agent_1', 'Explore', 'PreToolUse', {
					tool_name: 'Glob',
					tool_input: {pattern: '**/*.ts'},
					tool_use_id: 'toolu_glob',
				}),
			],
			[
				9,
				inAgent('agent_1', 'Explore', 'PostToolUse', {
					tool_name: 'Glob',
					tool_input: {pattern: '**/*.ts'},
					tool_response: {numFiles: 9},
					tool_use_id: 'toolu_glob',
				}),
			],
		),
	);
	const [row] = v.tools(T0 + 10);
	assert.equal(row.agent, 'agent_1');
	assert.equal(row.agentType, 'Explore');
	assert.equal(row.target, '**/*.ts');
	assert.equal(row.status, 'ok');
});

test('PermissionRequest (no tool_use_id) marks the matching running call, whichever comes first', () => {
	const rm = {command: 'rm -rf dist', description: 'Remove the build'};
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Bash', 'toolu_ls', {command: 'ls'})],
			[1, pre('Bash', 'toolu_rm', rm)],
			[
				2,
				hook('PermissionRequest', {
					tool_name: 'Bash',
					tool_input: {description: 'Remove the build', command: 'rm -rf dist'},
				}),
			],
			[10, hookEvents.PermissionRequest],
			[11, pre('Bash', 'toolu_rm2', {command: 'rm -rf dist', description: 'Remove the old build output'})],
			[12, hook('PermissionRequest', {tool_name: 'Bash', tool_input: {command: 'nothing like it'}})],
		),
	);
	const rows = v.tools(T0 + 20);
	assert.equal(
		byId(rows, 'toolu_rm').waitedForPermission,
		true,
		'matched by tool and input (key order does not matter)',
	);
	assert.equal(byId(rows, 'toolu_ls').waitedForPermission, false);
	assert.equal(
		byId(rows, 'toolu_rm2').waitedForPermission,
		true,
		'a request before its Pre is matched when the Pre comes',
	);
});

test('PermissionDenied with a tool_use_id ends the call it denied: denied, with the reason', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Bash', 'toolu_01DeniedPushForce', {command: 'git push --force'})],
			[3, hookEvents.PermissionDenied],
		),
	);
	const [row] = v.tools(T0 + 5);
	assert.equal(row.status, 'denied');
	assert.equal(row.durationMs, 3);
	assert.equal(row.error, 'permission denied: Denied by rule Bash(git push --force)');
});

test('PostToolBatch fills in the ends that never came, and adds calls it alone reports', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, hookEvents.SessionStart],
			[10, pre('Read', 'toolu_01Read4mPq8sV2xYz7KcR5mZp', {file_path: '/home/u/app/test/flaky.test.ts'})],
			[12, pre('Grep', 'toolu_01Grep9aTnE2bLw7KcR5mZq', {pattern: 'setTimeout'})],
			[
				30,
				post(
					'Grep',
					'toolu_01Grep9aTnE2bLw7KcR5mZq',
					{pattern: 'setTimeout'},
					{numFiles: 2},
					{duration_ms: 15},
				),
			],
			[50, hookEvents.PostToolBatch],
		),
	);
	const rows = v.tools(T0 + 60);
	assert.equal(rows.length, 3);
	const read = byId(rows, 'toolu_01Read4mPq8sV2xYz7KcR5mZp');
	assert.equal(read.status, 'ok');
	assert.equal(read.durationMs, 40);
	assert.equal(byId(rows, 'toolu_01Grep9aTnE2bLw7KcR5mZq').durationMs, 15, 'an end already known is kept');
	const git = byId(rows, 'toolu_01BatchGitStatus');
	assert.equal(git.status, 'ok');
	assert.equal(git.target, 'git status');
});

test('targets: Bash command, paths relative to cwd (absolute outside it), URL, MCP args, Agent description', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Read', 't1', inputs.outside)],
			[1, pre('WebFetch', 't2', {url: 'https://example.com/docs', prompt: 'summarize'})],
			[2, pre('mcp__github__get_issue', 't3', {owner: 'u', repo: 'app', issue_number: 4})],
			[
				3,
				pre('Task', 't4', {
					description: 'Review the diff',
					prompt: 'Review it',
					subagent_type: 'code-reviewer',
				}),
			],
			[4, pre('Bash', 't5', {command: 'git log\n--oneline'})],
			[5, pre('NotebookEdit', 't6', {notebook_path: '/home/u/app/nb/a.ipynb', new_source: 'x'})],
		),
	);
	const rows = v.tools(T0 + 10);
	assert.equal(byId(rows, 't1').target, '/etc/hosts');
	assert.equal(byId(rows, 't2').target, 'https://example.com/docs');
	assert.equal(byId(rows, 't3').target, 'owner=u repo=app issue_number=4');
	assert.equal(byId(rows, 't4').target, 'code-reviewer: Review the diff');
	assert.equal(byId(rows, 't5').target, 'git log ⏎ --oneline');
	assert.equal(byId(rows, 't6').target, 'nb/a.ipynb');
});

test('claude-mpm pre_tool / post_tool without tool_use_id pair by session, tool and input, else in order', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, envelope('pre_tool', {tool_name: 'Bash', tool_parameters: {command: 'npm test'}})],
			[10, envelope('pre_tool', {tool_name: 'Bash', tool_parameters: {command: 'npm run lint'}})],
			[
				1500,
				envelope('post_tool', {
					tool_name: 'Bash',
					tool_parameters: {command: 'npm run lint'},
					exit_code: 1,
					success: false,
					error: 'Command failed with exit code 1',
				}),
			],
			[2000, mpmEnvelopes.post_tool],
		),
	);
	const rows = v.tools(T0 + 3000);
	assert.equal(rows.length, 2);
	const [lint, test] = rows;
	assert.equal(lint.durationMs, 1490);
	assert.equal(test.target, 'npm test');
	assert.equal(test.status, 'ok');
	assert.equal(test.durationMs, 2140);
	assert.equal(lint.target, 'npm run lint');
	assert.equal(lint.status, 'failed');
	assert.equal(lint.error, 'Command failed with exit code 1');
	assert.match(lint.id, /^rec:/);
	const w = createViews();
	w.applyMany(
		seq(
			[0, envelope('pre_tool', {tool_name: 'Read', tool_parameters: {file_path: '/a'}})],
			[5, envelope('pre_tool', {tool_name: 'Read', tool_parameters: {file_path: '/b'}})],
			[9, envelope('post_tool', {tool_name: 'Read', success: true})],
		),
	);
	assert.deepEqual(
		w.tools(T0 + 10).map((r) => [r.target, r.status]),
		[
			['/b', 'running'],
			['/a', 'ok'],
		],
		'no input: the oldest open call',
	);
});

test('memory is bounded: the oldest finished calls go first, running ones stay', () => {
	const v = createViews({maxToolCalls: 50});
	const entries: Array<[number, Record<string, unknown>]> = [
		[0, pre('Bash', 'toolu_keep', inputs.bashWatch)],
	];
	for (let i = 0; i < 200; i++) {
		entries.push([i * 10 + 1, pre('Read', `toolu_${i}`, inputs.readApp)]);
		entries.push([i * 10 + 2, post('Read', `toolu_${i}`, inputs.readApp, {})]);
	}
	v.applyMany(seq(...entries));
	const rows = v.tools(T0 + 3000);
	assert.ok(rows.length <= 50 && rows.length >= 45, `kept ${rows.length}`);
	assert.ok(
		rows.some((r) => r.id === 'toolu_keep' && r.status === 'running'),
		'the running call is not evicted',
	);
	assert.ok(rows.some((r) => r.id === 'toolu_199'));
	assert.ok(!rows.some((r) => r.id === 'toolu_0'));
	assert.equal(v.toolCall('toolu_199', T0 + 3000)?.status, 'ok');
	assert.equal(v.toolCall('toolu_0', T0 + 3000), null);
});

test('toolsRunning(now) says what tools(now) shows: a running call, until it ends, is orphaned or times out', () => {
	const running = (v: ReturnType<typeof createViews>, now: number) =>
		v.tools(now).some((r) => r.status === 'running');
	const v = createViews({toolTimeoutMs: 5 * MIN});
	assert.equal(v.toolsRunning(T0), false, 'no calls');
	v.applyMany(
		seq([0, pre('Bash', 'toolu_a', inputs.bashWatch)], [10, pre('Read', 'toolu_b', inputs.readApp)]),
	);
	for (const now of [T0 + 20, T0 + 5 * MIN + 10, T0 + 5 * MIN + 11])
		assert.equal(v.toolsRunning(now), running(v, now), `at +${now - T0} ms`);
	assert.equal(v.toolsRunning(T0 + 5 * MIN + 10), true);
	assert.equal(v.toolsRunning(T0 + 5 * MIN + 11), false, 'both timed out');
	v.apply(seq([20, post('Read', 'toolu_b', inputs.readApp, {type: 'text'})])[0]);
	assert.equal(v.toolsRunning(T0 + 30), true, 'toolu_a still runs');
	v.apply(seq([40, hook('Stop', {stop_hook_active: false, last_assistant_message: 'done'})])[0]);
	assert.equal(v.toolsRunning(T0 + 50), false, "Stop orphaned the main agent's call");
	assert.equal(running(v, T0 + 50), false);
	v.applyMany(
		seq(
			[
				60,
				inAgent('agent_bg', 'general-purpose', 'PreToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_use_id: 'toolu_sub',
				}),
			],
			[70, post('Bash', 'toolu_a', inputs.bashWatch, {stdout: ''})],
		),
	);
	assert.equal(v.toolsRunning(T0 + 80), true, "a subagent's call runs");
	assert.equal(running(v, T0 + 80), true);
	v.apply(seq([90, hook('SessionEnd', {reason: 'prompt_input_exit'})])[0]);
	assert.equal(v.toolsRunning(T0 + 100), false);
	assert.equal(running(v, T0 + 100), false);
});

test('a snapshot row keeps its record ids when the call goes on (rows are shared, never changed)', () => {
	const v = createViews();
	const records = seq(
		[0, pre('Bash', 'toolu_keep', {command: 'rm -rf build'})],
		[5, hook('PermissionRequest', {tool_name: 'Bash', tool_input: {command: 'rm -rf build'}})],
	);
	v.applyMany(records.slice(0, 1));
	const first = byId(v.tools(T0 + 1), 'toolu_keep');
	assert.deepEqual(first.recordIds, [records[0].id]);
	v.applyMany(records.slice(1));
	const second = byId(v.tools(T0 + 6), 'toolu_keep');
	assert.deepEqual(second.recordIds, [records[0].id, records[1].id]);
	assert.deepEqual(first.recordIds, [records[0].id], 'the earlier row is as it was');
	const later = seq([10, post('Bash', 'toolu_keep', {command: 'rm -rf build'}, {stdout: ''})]);
	v.applyMany(later);
	assert.deepEqual(byId(v.tools(T0 + 20), 'toolu_keep').recordIds.length, 3);
	assert.deepEqual(second.recordIds, [records[0].id, records[1].id], 'and so is the next one');
});
