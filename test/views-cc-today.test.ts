/**
 * The derived views fed with hook sequences of today's Claude Code (2.1.2xx; test/fixtures/cc-today.ts):
 * background subagents and `background_tasks[]`, every notification type, PermissionRequest as
 * the immediate wait and as a record of its call, PermissionDenied, StopFailure in words,
 * cancelled calls, and the one definition of an error.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {isErrorEvent} from '../source/core/errors.js';
import {compileFilter} from '../source/core/filter.js';
import {createViews, type SessionEntry, type ToolCall, type Views} from '../source/core/views/index.js';
import {AGENT_TYPE, SESSION_ID} from './fixtures/hook-payloads.js';
import {
	BG,
	BG_EXPLORE_STOP,
	BG_REVIEW_STOP,
	BG_STOP,
	backgroundWork,
	CANCEL,
	cancelledCall,
	MIXED,
	mixedErrorCount,
	mixedErrors,
	PERM,
	PERM_REQUEST,
	permissionWait,
	type Step,
} from './fixtures/cc-today.js';
import {hook, inAgent, OTHER_SESSION, pre, post, seq, T0} from './fixtures/view-sequences.js';

const MIN = 60_000;

function feed(steps: Step[], views: Views = createViews()) {
	const records = seq(...steps);
	views.applyMany(records);
	return {views, records};
}

function session(v: Views, now: number, id = SESSION_ID): SessionEntry {
	const found = v.sessions(now).find((s) => s.id === id);
	assert.ok(found, `no session ${id}`);
	return found;
}

function call(v: Views, now: number, id: string): ToolCall {
	const found = v.toolCall(id, now);
	assert.ok(found, `no call ${id}`);
	return found;
}

test('background: a Stop with running background_tasks is not idle; it shows what runs until each finishes', () => {
	const v = createViews();
	feed(backgroundWork.slice(0, BG_STOP + 1), v);
	let s = session(v, T0 + 2500);
	assert.equal(s.state, 'background');
	assert.deepEqual(
		s.background.map((t) => [t.type, t.description]),
		[
			['subagent', 'Audit the dependencies'],
			['subagent', 'Review the diff'],
			['shell', 'Start the dev server'],
		],
	);
	assert.deepEqual(
		s.crons.map((c) => [c.schedule, c.prompt, c.recurring]),
		[['*/30 * * * *', 'check the CI status', true]],
	);
	assert.equal(s.waiting, false);

	// The subagents work on after the Stop: that is background work, not a new turn.
	feed(backgroundWork.slice(BG_STOP + 1, BG_EXPLORE_STOP), v);
	s = session(v, T0 + 4000);
	assert.equal(s.state, 'background', "a subagent's tool calls do not make the session working");
	assert.equal(s.background.length, 3);

	feed(backgroundWork.slice(BG_EXPLORE_STOP, BG_EXPLORE_STOP + 1), v);
	s = session(v, T0 + 9100);
	assert.deepEqual(
		s.background.map((t) => t.description),
		['Review the diff', 'Start the dev server'],
		'the Explore agent stopped',
	);

	feed(backgroundWork.slice(BG_EXPLORE_STOP + 1, BG_REVIEW_STOP + 1), v);
	s = session(v, T0 + 15_100);
	assert.equal(s.state, 'background');
	assert.deepEqual(
		s.background.map((t) => t.description),
		['Start the dev server'],
	);

	feed(backgroundWork.slice(BG_REVIEW_STOP + 1, BG_REVIEW_STOP + 2), v);
	s = session(v, T0 + 20_000);
	assert.equal(s.state, 'background', 'the next Stop still lists the dev server');
	assert.deepEqual(
		s.background.map((t) => t.description),
		['Start the dev server'],
	);

	feed(backgroundWork.slice(BG_REVIEW_STOP + 2), v);
	s = session(v, T0 + 61_000);
	assert.equal(s.state, 'idle', 'a Stop whose tasks are all completed: idle');
	assert.deepEqual(s.background, []);
	assert.equal(s.crons.length, 1, 'the cron is still scheduled');
});

test('background subagents: PostToolUse(Agent) async_launched ends the call at once; the agent lives from SubagentStart to SubagentStop', () => {
	const {views: v} = feed(backgroundWork.slice(0, BG_STOP + 1));
	for (const id of [BG.agentCallExplore, BG.agentCallReview]) {
		const c = call(v, T0 + 2500, id);
		assert.equal(c.status, 'ok');
		assert.equal(c.background, true, 'async_launched: started in the background');
	}
	assert.equal(call(v, T0 + 2500, BG.devCall).background, true, 'run_in_background');
	const agents = v.agents(T0 + 2500);
	assert.deepEqual(
		agents.map((a) => [a.id, a.status, a.background]).sort(),
		[
			[BG.explore, 'running', true],
			[BG.review, 'running', true],
		].sort(),
	);
	feed(backgroundWork.slice(BG_STOP + 1, BG_EXPLORE_STOP + 1), v);
	const explore = v.agents(T0 + 9100).find((a) => a.id === BG.explore)!;
	assert.equal(explore.status, 'done');
	assert.equal(explore.durationMs, 9000 - 1000, 'from its Agent call to its SubagentStop');
	assert.equal(explore.toolCount, 1);
	assert.equal(explore.lastMessage, 'Two unused: left-pad, moment.');
	assert.equal(v.agents(T0 + 9100).find((a) => a.id === BG.review)!.status, 'running');
});

test('background: task ids that are not agent ids are matched by agent type; a SubagentStop adds what it leaves running', () => {
	const v = createViews();
	feed(
		[
			[0, hook('UserPromptSubmit', {prompt: 'two explorers'})],
			[10, hook('SubagentStart', {agent_id: 'agent-x', agent_type: 'Explore'})],
			[20, hook('SubagentStart', {agent_id: 'agent-y', agent_type: 'Plan'})],
			[
				100,
				hook('Stop', {
					stop_hook_active: false,
					background_tasks: [
						{
							id: 'task-1',
							type: 'subagent',
							status: 'running',
							description: 'Explore the parser',
							agent_type: 'Explore',
						},
						{
							id: 'task-2',
							type: 'subagent',
							status: 'running',
							description: 'Plan the refactor',
							agent_type: 'Plan',
						},
					],
					session_crons: [],
				}),
			],
			[
				200,
				hook('SubagentStop', {
					agent_id: 'agent-x',
					agent_type: 'Explore',
					last_assistant_message: 'done',
					background_tasks: [{id: 'task-9', type: 'monitor', status: 'running', name: 'tail the server log'}],
				}),
			],
		],
		v,
	);
	const s = session(v, T0 + 300);
	assert.equal(s.state, 'background');
	assert.deepEqual(
		s.background.map((t) => t.description),
		['Plan the refactor', 'tail the server log'],
	);
});

test('background without background_tasks (older Claude Code, claude-mpm): subagents started and not stopped, while active', () => {
	const v = createViews({agentTimeoutMs: 5 * MIN});
	feed(
		[
			[0, hook('UserPromptSubmit', {prompt: 'look around'})],
			[
				10,
				pre('Agent', 'toolu_old', {
					description: 'Look around',
					prompt: 'Go',
					subagent_type: 'Explore',
					run_in_background: true,
				}),
			],
			[20, hook('SubagentStart', {agent_id: 'old1', agent_type: 'Explore'})],
			[
				30,
				post('Agent', 'toolu_old', {description: 'Look around'}, {status: 'async_launched', agentId: 'old1'}),
			],
			[100, hook('Stop', {stop_hook_active: false, last_assistant_message: 'started'})],
			[
				MIN,
				inAgent('old1', 'Explore', 'PreToolUse', {
					tool_name: 'Glob',
					tool_input: {pattern: '**/*.md'},
					tool_use_id: 'toolu_old_glob',
				}),
			],
		],
		v,
	);
	let s = session(v, T0 + MIN + 10);
	assert.equal(s.state, 'background');
	assert.deepEqual(
		s.background.map((t) => [t.type, t.description]),
		[['subagent', 'Explore']],
	);
	assert.equal(
		session(v, T0 + 6 * MIN + 1).state,
		'idle',
		'a subagent silent for longer than the agent timeout no longer counts',
	);
	feed(
		[
			[
				2 * MIN,
				hook('SubagentStop', {agent_id: 'old1', agent_type: 'Explore', last_assistant_message: 'done'}),
			],
		],
		v,
	);
	s = session(v, T0 + 2 * MIN + 10);
	assert.equal(s.state, 'idle');
});

test('background: an older Stop (arriving late) does not replace a newer list; a prompt makes the session working; SessionEnd ends it', () => {
	const v = createViews();
	const dev = {id: 'b1', type: 'shell', status: 'running', description: 'npm run dev'};
	feed(
		[
			[0, hook('UserPromptSubmit', {prompt: 'start it'})],
			[100, hook('Stop', {stop_hook_active: false, background_tasks: [dev]})],
		],
		v,
	);
	assert.equal(session(v, T0 + 200).state, 'background');
	feed([[50, hook('Stop', {stop_hook_active: false, background_tasks: []})]], v);
	assert.equal(session(v, T0 + 200).state, 'background', 'the older, empty list is ignored');
	feed([[300, hook('UserPromptSubmit', {prompt: 'and now the tests'})]], v);
	assert.equal(session(v, T0 + 400).state, 'working');
	feed([[500, hook('SessionEnd', {reason: 'prompt_input_exit'})]], v);
	const s = session(v, T0 + 600);
	assert.equal(s.state, 'ended');
	assert.deepEqual(s.background, []);
});

test('background_tasks from a hostile hook: non-objects skipped, statuses of any type, at most 100 entries', () => {
	const v = createViews();
	const many = Array.from({length: 500}, (_, i) => ({
		id: `t${i}`,
		type: 'shell',
		status: 'running',
		description: `job ${i}`,
	}));
	feed(
		[
			[
				0,
				hook('Stop', {
					stop_hook_active: false,
					background_tasks: [
						null,
						7,
						'x',
						[],
						{status: 3},
						{status: 'completed', description: 'old'},
						{description: 'no status given'},
						...many,
					],
				}),
			],
		],
		v,
	);
	const s = session(v, T0 + 10);
	assert.equal(s.state, 'background');
	assert.equal(s.background.length, 94, 'the first 100 entries are read, of which 94 run');
	assert.equal(s.background[0].description, 'no status given');
	feed([[20, hook('Stop', {stop_hook_active: false, background_tasks: {not: 'a list'}})]], v);
	assert.equal(session(v, T0 + 30).state, 'idle', 'not a list: no report, no subagents');
});

test('notification types map to session states, and their ends clear them', () => {
	const cases: Array<{type: string; reason: SessionEntry['waitReason']; end?: Record<string, unknown>}> = [
		{type: 'permission_prompt', reason: 'permission', end: pre('Bash', 'n-next', {command: 'ls'})},
		{type: 'idle_prompt', reason: 'idle', end: hook('UserPromptSubmit', {prompt: 'next'})},
		{
			type: 'elicitation_dialog',
			reason: 'input',
			end: hook('Notification', {message: 'answered', notification_type: 'elicitation_response'}),
		},
		{
			type: 'elicitation_url_dialog',
			reason: 'url',
			end: hook('Notification', {message: 'done', notification_type: 'elicitation_complete'}),
		},
		{
			type: 'agent_needs_input',
			reason: 'agent',
			end: hook('Notification', {message: 'finished', notification_type: 'agent_completed'}),
		},
	];
	for (const {type, reason, end} of cases) {
		const v = createViews();
		feed(
			[
				[0, hook('UserPromptSubmit', {prompt: 'go'})],
				[10, hook('Notification', {message: `a ${type}`, notification_type: type})],
			],
			v,
		);
		let s = session(v, T0 + 20);
		assert.equal(s.state, 'waiting', type);
		assert.equal(s.waitReason, reason, type);
		assert.equal(s.waitMessage, `a ${type}`);
		feed([[30, end!]], v);
		s = session(v, T0 + 40);
		assert.equal(s.state, 'working', `${type} ends`);
	}
	for (const type of ['agent_completed', 'auth_success', 'elicitation_complete', 'something_new']) {
		const v = createViews();
		feed(
			[
				[0, hook('UserPromptSubmit', {prompt: 'go'})],
				[10, hook('Notification', {message: 'fyi', notification_type: type})],
			],
			v,
		);
		assert.equal(session(v, T0 + 20).state, 'working', `${type} does not wait`);
	}
});

test('PermissionRequest is the immediate "waiting for you"; the permission Notification ~6 s later joins the same wait', () => {
	const v = createViews();
	feed(permissionWait.slice(0, PERM_REQUEST + 1), v);
	let s = session(v, T0 + 600);
	assert.equal(s.state, 'waiting', 'at once, not 6 s later');
	assert.equal(s.waitReason, 'permission');
	assert.equal(s.waitMessage, 'Bash  rm -rf build');
	feed(permissionWait.slice(PERM_REQUEST + 1, PERM_REQUEST + 2), v);
	s = session(v, T0 + 7000);
	assert.equal(s.waitingSince, T0 + 520, 'one wait, since the PermissionRequest');
	assert.equal(s.waitMessage, 'Bash  rm -rf build');
	feed(permissionWait.slice(PERM_REQUEST + 2), v);
	assert.equal(session(v, T0 + 9600).state, 'idle');
});

test("the PermissionRequest is one of its call's records, whether it comes after the PreToolUse or before", () => {
	const {views: v, records} = feed(permissionWait);
	const c = call(v, T0 + 9600, PERM.call);
	assert.equal(c.waitedForPermission, true);
	const request = records[PERM_REQUEST];
	assert.equal(request.type, 'PermissionRequest');
	assert.deepEqual(
		c.recordIds,
		[records[1].id, request.id, records[4].id],
		'its PreToolUse, PermissionRequest and PostToolUse',
	);

	const early = feed([
		[0, hook('PermissionRequest', {tool_name: 'Bash', tool_input: PERM.input})],
		[5, pre('Bash', 'toolu_early', PERM.input)],
	]);
	assert.deepEqual(call(early.views, T0 + 10, 'toolu_early').recordIds, [
		early.records[0].id,
		early.records[1].id,
	]);
	const unrelated = feed([
		[0, pre('Bash', 'toolu_other', {command: 'ls'})],
		[5, hook('PermissionRequest', {tool_name: 'Bash', tool_input: PERM.input})],
	]);
	assert.deepEqual(
		call(unrelated.views, T0 + 10, 'toolu_other').recordIds,
		[unrelated.records[0].id],
		"a request for another input is not this call's",
	);
});

test('a cancelled call (no Post) is interrupted when its turn ends — by the next prompt or the Stop — not lost; a late end still wins', () => {
	const {views: v} = feed(cancelledCall.slice(0, 3));
	let watch = call(v, T0 + 30_100, CANCEL.watch);
	assert.equal(watch.status, 'interrupted', 'an interrupted turn fires no Stop: the next prompt ends it');
	assert.equal(watch.interruptedBy, 'prompt');
	assert.equal(watch.durationMs, null, 'when it stopped is not known');
	feed(cancelledCall.slice(3), v);
	const test = call(v, T0 + 40_100, CANCEL.test);
	assert.equal(test.status, 'interrupted');
	assert.equal(test.interruptedBy, 'stop');
	assert.equal(call(v, T0 + 40_100, CANCEL.read).status, 'ok');
	watch = call(v, T0 + 20 * MIN, CANCEL.watch);
	assert.equal(watch.status, 'interrupted', 'still interrupted, never lost, after the timeout');
	assert.equal(session(v, T0 + 40_100).errorCount, 0, 'a cancelled call is not an error');
	feed([[41_000, post('Bash', CANCEL.test, {command: 'npm test'}, {stdout: 'ok'})]], v);
	assert.equal(call(v, T0 + 41_100, CANCEL.test).status, 'ok', 'an end that arrives later wins');

	const ended = feed([
		[0, pre('Bash', 'toolu_se', {command: 'sleep 100'})],
		[
			10,
			inAgent('ag', 'Explore', 'PreToolUse', {
				tool_name: 'Read',
				tool_input: {file_path: '/a'},
				tool_use_id: 'toolu_se_sub',
			}),
		],
		[50, hook('SessionEnd', {reason: 'prompt_input_exit'})],
	]).views;
	assert.equal(call(ended, T0 + 60, 'toolu_se').interruptedBy, 'session-end');
	assert.equal(call(ended, T0 + 60, 'toolu_se_sub').interruptedBy, 'session-end');
	const lost = feed([
		[
			0,
			inAgent('ag2', 'Explore', 'PreToolUse', {
				tool_name: 'Read',
				tool_input: {file_path: '/a'},
				tool_use_id: 'toolu_quiet',
			}),
		],
	]).views;
	assert.equal(call(lost, T0 + 10 * MIN + 1, 'toolu_quiet').status, 'lost', 'no turn end, no activity: lost');
});

test('PermissionDenied ends the call it denied, and StopFailure is said in words', () => {
	const {views: v} = feed(mixedErrors);
	const denied = call(v, T0 + 9000, MIXED.denied);
	assert.equal(denied.status, 'denied');
	assert.equal(denied.durationMs, 40);
	assert.equal(denied.error, 'permission denied: Force pushes are not allowed in auto mode');
	assert.equal(call(v, T0 + 9000, MIXED.stopped).status, 'interrupted');
	assert.equal(call(v, T0 + 9000, MIXED.stopped).interruptedBy, 'user');
	assert.equal(call(v, T0 + 9000, MIXED.cancelled).status, 'interrupted', 'StopFailure ends the turn too');
	const s = session(v, T0 + 9000);
	assert.equal(s.state, 'failed');
	assert.equal(s.failure, 'rate limited: retry after 30 s');

	const words = new Map([
		['rate_limit', 'rate limited'],
		['overloaded', 'API overloaded'],
		['authentication_failed', 'authentication failed'],
		['oauth_org_not_allowed', 'organization not allowed'],
		['billing_error', 'billing error'],
		['invalid_request', 'invalid request'],
		['model_not_found', 'model not found'],
		['server_error', 'API server error'],
		['max_output_tokens', 'output token limit reached'],
		['unknown', 'unknown API error'],
		['quota_exceeded_soon', 'quota exceeded soon'],
		['constructor', 'constructor'],
		['__proto__', 'proto'],
	]);
	for (const [code, text] of words) {
		const w = feed([
			[0, hook('UserPromptSubmit', {prompt: 'go'})],
			[10, hook('StopFailure', {error: code, last_assistant_message: ''})],
		]).views;
		assert.equal(session(w, T0 + 20).failure, text, code);
	}
	const none = feed([
		[0, hook('StopFailure', {last_assistant_message: ''})],
		[5, hook('StopFailure', {error: 42})],
	]).views;
	assert.equal(session(none, T0 + 10).failure, 'API error');
	const next = feed([
		[0, hook('StopFailure', {error: 'overloaded'})],
		[10, hook('UserPromptSubmit', {prompt: 'again'})],
	]).views;
	assert.equal(session(next, T0 + 20).state, 'working', 'the next prompt clears it');
	assert.equal(session(next, T0 + 20).failure, null);
});

test('one definition of an error: is:error, the Sessions error column and the Tools status agree on a mixed stream', () => {
	const {views: v, records} = feed(mixedErrors);
	const now = T0 + 9500;
	assert.equal(records.filter(isErrorEvent).length, mixedErrorCount.total);
	const isError = compileFilter('is:error');
	assert.ok(isError.ok);
	assert.equal(records.filter(isError.test).length, mixedErrorCount.total, 'is:error');
	assert.equal(session(v, now).errorCount, mixedErrorCount[SESSION_ID]);
	assert.equal(session(v, now, OTHER_SESSION).errorCount, mixedErrorCount[OTHER_SESSION]);
	const erroredCalls = v.tools(now).filter((c) => c.status === 'failed' || c.status === 'denied').length;
	const turnErrors = records.filter((r) => r.type === 'StopFailure').length;
	assert.equal(
		erroredCalls + turnErrors,
		mixedErrorCount.total,
		'failed and denied calls, plus the turn that failed',
	);
	assert.deepEqual(
		v
			.tools(now)
			.map((c) => c.status)
			.sort(),
		['denied', 'failed', 'failed', 'interrupted', 'interrupted', 'ok'].sort(),
	);
});

test('the agent of a denied Agent call is denied; one interrupted by the next prompt says so', () => {
	const v = createViews();
	feed(
		[
			[0, pre('Agent', 'toolu_deny', {description: 'Delete the branch', subagent_type: 'general-purpose'})],
			[
				5,
				hook('PermissionDenied', {
					tool_name: 'Agent',
					tool_input: {description: 'Delete the branch'},
					tool_use_id: 'toolu_deny',
					reason: 'no',
				}),
			],
			[
				10,
				pre('Agent', 'toolu_fg', {
					description: 'Foreground',
					subagent_type: AGENT_TYPE,
					run_in_background: false,
				}),
			],
			[500, hook('UserPromptSubmit', {prompt: 'stop that'})],
		],
		v,
	);
	const rows = v.agents(T0 + 600);
	assert.equal(rows.find((a) => a.toolUseId === 'toolu_deny')!.status, 'denied');
	const fg = rows.find((a) => a.toolUseId === 'toolu_fg')!;
	assert.equal(fg.status, 'interrupted');
	assert.equal(fg.interruptedBy, 'prompt');
});
