import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createViews, type SessionEntry} from '../source/core/views/index.js';
import {
	CWD,
	hookEvents,
	interruptedBash,
	mpmEnvelopes,
	MPM_SESSION,
	sessionFlow,
	SESSION_ID,
} from './fixtures/hook-payloads.js';
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
const other = {session_id: OTHER_SESSION, cwd: OTHER_CWD};

function session(rows: SessionEntry[], id: string): SessionEntry {
	const found = rows.find((r) => r.id === id);
	assert.ok(found, `no session ${id}`);
	return found;
}

test('two sessions interleaved keep their own cwd, model, prompts, counts and state', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, hookEvents.SessionStart],
			[10, hook('SessionStart', {...other, source: 'resume', model: 'claude-sonnet-4-6'})],
			[20, hook('UserPromptSubmit', {prompt: 'fix the failing test'})],
			[30, hook('UserPromptSubmit', {...other, prompt: 'bump the version'})],
			[40, pre('Read', 's1-r', inputs.readApp)],
			[50, pre('Bash', 's2-b', inputs.bashTest, other)],
			[60, post('Read', 's1-r', inputs.readApp, {})],
			[70, failure('Bash', 's2-b', inputs.bashTest, 'exit 1', false, other)],
			[80, hook('UserPromptSubmit', {...other, prompt: 'now\nthe changelog'})],
			[90, hook('Stop', {stop_hook_active: false, last_assistant_message: 'done'})],
		),
	);
	const rows = v.sessions(T0 + 100);
	assert.equal(rows.length, 2);
	const a = session(rows, SESSION_ID);
	const b = session(rows, OTHER_SESSION);
	assert.deepEqual(
		[a.cwd, a.model, a.source, a.promptCount, a.toolCount, a.errorCount],
		[CWD, 'claude-opus-4-6', 'startup', 1, 1, 0],
	);
	assert.deepEqual(
		[b.cwd, b.model, b.source, b.promptCount, b.toolCount, b.errorCount],
		[OTHER_CWD, 'claude-sonnet-4-6', 'resume', 2, 1, 1],
	);
	assert.equal(b.firstPrompt, 'bump the version');
	assert.equal(b.lastPrompt, 'now ⏎ the changelog');
	assert.equal(a.state, 'idle');
	assert.equal(b.state, 'working');
	assert.equal(a.lastActivity, T0 + 90);
	assert.equal(b.lastActivity, T0 + 80);
	assert.equal(a.startedAt, T0);
	assert.deepEqual(
		rows.map((r) => r.id),
		[SESSION_ID, OTHER_SESSION],
		'by last activity',
	);
});

test('permission wait: waiting for you until the call it asked for resumes, then working', () => {
	const rm = {command: 'rm -rf dist', description: 'Remove the old build output'};
	const v = createViews();
	v.applyMany(
		seq(
			[0, hook('UserPromptSubmit', {prompt: 'clean up'})],
			[10, pre('Bash', 'toolu_rm', rm)],
			[20, hook('PermissionRequest', {tool_name: 'Bash', tool_input: rm})],
			[
				21,
				hook('Notification', {
					message: 'Claude needs your permission to use Bash',
					notification_type: 'permission_prompt',
				}),
			],
			[25, hook('UserPromptSubmit', {...other, prompt: 'other work'})],
		),
	);
	let rows = v.sessions(T0 + 5000);
	let s = session(rows, SESSION_ID);
	assert.equal(s.state, 'waiting');
	assert.equal(s.waiting, true);
	assert.equal(s.waitReason, 'permission');
	assert.equal(s.waitingSince, T0 + 20);
	assert.equal(s.waitMessage, 'Bash  rm -rf dist');
	assert.equal(rows[0].id, SESSION_ID, 'waiting sessions come first, even when less recent');
	assert.equal(v.tools(T0 + 5000).find((t) => t.id === 'toolu_rm')!.waitedForPermission, true);
	v.apply(seq([9000, post('Bash', 'toolu_rm', rm, {stdout: ''})])[0]);
	rows = v.sessions(T0 + 9500);
	s = session(rows, SESSION_ID);
	assert.equal(s.state, 'working');
	assert.equal(s.waiting, false);
	assert.equal(rows[0].id, SESSION_ID, 'then by last activity');
});

test('the recorded flow: notification then permission request, then the tool runs', () => {
	const v = createViews();
	const records = seq(...sessionFlow.map((p, i): [number, typeof p] => [i * 1000, p]));
	const notification = sessionFlow.findIndex((p) => p.hook_event_name === 'Notification');
	v.applyMany(records.slice(0, notification + 2));
	assert.equal(v.sessions(T0 + 30_000)[0].state, 'waiting');
	v.applyMany(records.slice(notification + 2, notification + 3));
	assert.equal(v.sessions(T0 + 30_000)[0].state, 'working', 'the PreToolUse of the allowed call');
	v.applyMany(records.slice(notification + 3));
	const [s] = v.sessions(T0 + 30_000);
	assert.equal(s.state, 'ended');
	assert.equal(s.endReason, 'logout');
	assert.equal(s.toolCount, 9);
	assert.equal(s.errorCount, 1);
	assert.equal(s.promptCount, 1);
});

test('the end of a parallel call does not clear a permission wait; the next call of that agent does', () => {
	const rm = {command: 'rm -rf dist'};
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Read', 'par-r', inputs.readApp)],
			[1, pre('Bash', 'par-rm', rm)],
			[2, hook('PermissionRequest', {tool_name: 'Bash', tool_input: rm})],
			[3, post('Read', 'par-r', inputs.readApp, {})],
		),
	);
	assert.equal(v.sessions(T0 + 10)[0].state, 'waiting');
	v.apply(seq([400, pre('Bash', 'next', inputs.bashTest)])[0]);
	assert.equal(v.sessions(T0 + 500)[0].state, 'working');
});

test("a subagent's permission wait is not cleared by the main agent's tools, only by its own", () => {
	const v = createViews();
	v.applyMany(
		seq(
			[
				0,
				inAgent('ag1', 'general-purpose', 'PermissionRequest', {
					tool_name: 'Write',
					tool_input: inputs.writeNotes,
				}),
			],
			[10, pre('Read', 'main-r', inputs.readApp)],
		),
	);
	assert.equal(v.sessions(T0 + 20)[0].state, 'waiting');
	v.apply(
		seq([
			30,
			inAgent('ag1', 'general-purpose', 'PreToolUse', {
				tool_name: 'Write',
				tool_input: inputs.writeNotes,
				tool_use_id: 'ag-w',
			}),
		])[0],
	);
	assert.equal(v.sessions(T0 + 40)[0].state, 'working');
});

test('idle prompt after Stop: waiting for you until the next prompt', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, hook('UserPromptSubmit', {prompt: 'hi'})],
			[10, hook('Stop', {stop_hook_active: false, last_assistant_message: 'Hello!'})],
		),
	);
	assert.equal(v.sessions(T0 + 20)[0].state, 'idle');
	v.apply(
		seq([
			60_010,
			hook('Notification', {message: 'Claude is waiting for your input', notification_type: 'idle_prompt'}),
		])[0],
	);
	let [s] = v.sessions(T0 + 61_000);
	assert.equal(s.state, 'waiting');
	assert.equal(s.waitReason, 'idle');
	assert.equal(s.waitMessage, 'Claude is waiting for your input');
	v.apply(seq([70_000, hook('UserPromptSubmit', {prompt: 'next'})])[0]);
	[s] = v.sessions(T0 + 71_000);
	assert.equal(s.state, 'working');
	assert.equal(s.promptCount, 2);
});

test('Stop clears a main-agent wait (the turn ended); other notifications do not wait', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[
				0,
				hook('Notification', {
					message: 'Claude needs your permission to use Bash',
					notification_type: 'permission_prompt',
				}),
			],
			[5, hook('Notification', {message: 'Logged in', notification_type: 'auth_success'})],
		),
	);
	assert.equal(v.sessions(T0 + 10)[0].state, 'waiting');
	v.apply(seq([20, hook('Stop', {stop_hook_active: false})])[0]);
	assert.equal(v.sessions(T0 + 30)[0].state, 'idle');
});

test('stale after the threshold (passed in), ended at SessionEnd, reopened by a resume', () => {
	const v = createViews({staleMs: 30 * MIN});
	v.applyMany(seq([0, hook('UserPromptSubmit', {prompt: 'long task'})]));
	assert.equal(v.sessions(T0 + 30 * MIN)[0].state, 'working');
	assert.equal(v.sessions(T0 + 30 * MIN + 1)[0].state, 'stale');
	assert.equal(v.sessions(T0 + 5 * MIN, 2 * MIN)[0].state, 'stale', 'threshold given to the snapshot');
	v.apply(seq([40 * MIN, hookEvents.SessionEnd])[0]);
	let [s] = v.sessions(T0 + 50 * MIN);
	assert.equal(s.state, 'ended');
	assert.equal(s.end, T0 + 40 * MIN);
	assert.equal(v.sessions(T0 + 500 * MIN)[0].state, 'ended', 'ended never turns stale');
	v.apply(seq([60 * MIN, hook('SessionStart', {source: 'resume'})])[0]);
	[s] = v.sessions(T0 + 61 * MIN);
	assert.equal(s.state, 'idle');
	assert.equal(s.end, null);
});

test('errors: failures and StopFailure count, interrupts do not', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Bash', 'toolu_01InterruptedWatch', {command: 'npm run watch'})],
			[10, interruptedBash],
			[20, pre('Bash', 'b2', inputs.bashTest)],
			[30, failure('Bash', 'b2', inputs.bashTest, 'exit 1', false)],
			[40, hookEvents.StopFailure],
		),
	);
	const [s] = v.sessions(T0 + 50);
	assert.equal(s.errorCount, 2);
	assert.equal(s.toolCount, 2);
	assert.equal(s.state, 'failed', 'the turn ended on an API error');
	assert.equal(s.failure, 'rate limited');
});

test('a late (older) event does not change the live state', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, hook('UserPromptSubmit', {prompt: 'go'})],
			[100, hook('Stop', {stop_hook_active: false})],
			[50, pre('Read', 'late', inputs.readApp)],
		),
	);
	const [s] = v.sessions(T0 + 200);
	assert.equal(s.state, 'idle');
	assert.equal(s.toolCount, 1);
});

test('claude-mpm session_start / user_prompt / notification / session_end envelopes', () => {
	const v = createViews();
	v.applyMany(
		seq([0, mpmEnvelopes.session_start], [10, mpmEnvelopes.user_prompt], [20, mpmEnvelopes.notification]),
	);
	let [s] = v.sessions(T0 + 30);
	assert.equal(s.id, MPM_SESSION);
	assert.equal(s.cwd, CWD);
	assert.equal(s.firstPrompt, 'Implement user authentication');
	assert.equal(s.state, 'waiting');
	v.apply(seq([40, mpmEnvelopes.session_end])[0]);
	[s] = v.sessions(T0 + 50);
	assert.equal(s.state, 'ended');
	assert.equal(s.endReason, 'logout');
});
