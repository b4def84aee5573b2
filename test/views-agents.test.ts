import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createViews, type AgentEntry} from '../source/core/views/index.js';
import {AGENT_ID, AGENT_TYPE, mpmEnvelopes, sessionFlow, TOOL_IDS} from './fixtures/hook-payloads.js';
import {failure, hook, inAgent, inputs, post, pre, seq, T0} from './fixtures/view-sequences.js';

const MIN = 60_000;

function spawnInput(description: string, type?: string, background = false) {
	return {
		description,
		prompt: `Please ${description.toLowerCase()}.`,
		...(type ? {subagent_type: type} : {}),
		run_in_background: background,
	};
}

function response(agentId: string, extra: Record<string, unknown> = {}) {
	return {
		agentId,
		status: 'completed',
		content: [{type: 'text', text: 'done'}],
		totalDurationMs: 9000,
		totalTokens: 1234,
		totalToolUseCount: 3,
		...extra,
	};
}

function row(rows: AgentEntry[], key: string): AgentEntry {
	const found = rows.find((r) => r.key === key || r.id === key || r.toolUseId === key);
	assert.ok(found, `no agent row ${key}`);
	return found;
}

test('a subagent with nested tools: the whole recorded sequence', () => {
	const v = createViews();
	v.applyMany(seq(...sessionFlow.map((p, i): [number, typeof p] => [i * 1000, p])));
	const rows = v.agents(T0 + 60_000);
	assert.equal(rows.length, 1);
	const a = rows[0];
	assert.equal(a.id, AGENT_ID);
	assert.equal(a.type, AGENT_TYPE);
	assert.equal(a.description, 'Find the flaky test');
	assert.equal(a.status, 'done');
	assert.equal(a.toolUseId, TOOL_IDS.agent);
	assert.deepEqual(a.toolCallIds, [TOOL_IDS.subGrep, TOOL_IDS.subRead]);
	assert.equal(a.toolCount, 2);
	assert.equal(a.durationMs, 18_400, 'totalDurationMs when reported');
	assert.equal(a.tokens, 21_530);
	assert.match(a.lastMessage ?? '', /flaky\.test\.ts:17/);
	assert.equal(a.start, T0 + 8000, 'from the Agent call');
	assert.equal(a.parent, 'main');
	const nested = v
		.tools(T0 + 60_000)
		.filter((t) => t.agent === AGENT_ID)
		.map((t) => t.id)
		.sort();
	assert.deepEqual(
		nested,
		[TOOL_IDS.subGrep, TOOL_IDS.subRead].sort(),
		'the tool calls name the agent that ran them',
	);
});

test('a running agent: elapsed duration and counted tools', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_ag', spawnInput('Explore the repo', 'Explore'))],
			[100, hook('SubagentStart', {agent_id: 'ag1', agent_type: 'Explore'})],
			[
				200,
				inAgent('ag1', 'Explore', 'PreToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_use_id: 'toolu_r1',
				}),
			],
			[
				250,
				inAgent('ag1', 'Explore', 'PostToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_response: {},
					tool_use_id: 'toolu_r1',
				}),
			],
			[
				300,
				inAgent('ag1', 'Explore', 'PreToolUse', {
					tool_name: 'Grep',
					tool_input: inputs.grepTodo,
					tool_use_id: 'toolu_g1',
				}),
			],
		),
	);
	const [a] = v.agents(T0 + 5000);
	assert.equal(a.status, 'running');
	assert.equal(a.durationMs, 5000);
	assert.equal(a.toolCount, 2);
	assert.equal(a.end, null);
});

test('the legacy Task tool name spawns agents the same way', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Task', 'toolu_task', spawnInput('Review the diff', 'code-reviewer'))],
			[50, hook('SubagentStart', {agent_id: 'rev1', agent_type: 'code-reviewer'})],
			[
				900,
				hook('SubagentStop', {
					agent_id: 'rev1',
					agent_type: 'code-reviewer',
					last_assistant_message: 'LGTM',
					stop_hook_active: false,
				}),
			],
			[
				950,
				post('Task', 'toolu_task', spawnInput('Review the diff', 'code-reviewer'), {
					status: 'completed',
					content: [],
				}),
			],
		),
	);
	const [a] = v.agents(T0 + 1000);
	assert.equal(a.id, 'rev1');
	assert.equal(a.type, 'code-reviewer');
	assert.equal(a.description, 'Review the diff');
	assert.equal(a.status, 'done');
	assert.equal(a.durationMs, 900, 'no totalDurationMs: start to SubagentStop');
	assert.equal(a.lastMessage, 'LGTM');
});

test('a subagent stopped by the user: interrupted Agent call, no SubagentStop', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_k', spawnInput('Refactor', 'general-purpose'))],
			[10, hook('SubagentStart', {agent_id: 'k1', agent_type: 'general-purpose'})],
			[
				20,
				inAgent('k1', 'general-purpose', 'PreToolUse', {
					tool_name: 'Bash',
					tool_input: inputs.bashWatch,
					tool_use_id: 'toolu_kb',
				}),
			],
			[
				3000,
				failure('Agent', 'toolu_k', spawnInput('Refactor', 'general-purpose'), 'Interrupted by user', true),
			],
		),
	);
	const [a] = v.agents(T0 + 4000);
	assert.equal(a.status, 'interrupted');
	assert.equal(a.interruptedBy, 'user');
	assert.equal(a.end, T0 + 3000);
	assert.equal(a.durationMs, 3000);
});

test('a subagent that never reports again is interrupted by session end, or lost after the timeout', () => {
	const events = (): Array<[number, Record<string, unknown>]> => [
		[0, pre('Agent', 'toolu_o', spawnInput('Long job', 'general-purpose'))],
		[10, hook('SubagentStart', {agent_id: 'o1', agent_type: 'general-purpose'})],
		[
			2 * MIN,
			inAgent('o1', 'general-purpose', 'PreToolUse', {
				tool_name: 'Read',
				tool_input: inputs.readApp,
				tool_use_id: 'toolu_or',
			}),
		],
	];
	const v = createViews();
	v.applyMany(seq(...events(), [3 * MIN, hook('SessionEnd', {reason: 'other'})]));
	const [a] = v.agents(T0 + 3 * MIN + 1);
	assert.equal(a.status, 'interrupted');
	assert.equal(a.interruptedBy, 'session-end');

	const w = createViews({agentTimeoutMs: 5 * MIN});
	w.applyMany(seq(...events()));
	assert.equal(w.agents(T0 + 7 * MIN).at(0)!.status, 'running', 'its own activity counts, not its start');
	assert.equal(w.agents(T0 + 7 * MIN + 1).at(0)!.status, 'lost');
	assert.equal(w.agents(T0 + 7 * MIN + 1).at(0)!.interruptedBy, null);
	assert.equal(
		w.tools(T0 + 11 * MIN).find((t) => t.id === 'toolu_o')!.status,
		'running',
		"the Agent call is kept alive by its subagent's activity",
	);
	assert.equal(w.tools(T0 + 12 * MIN + 1).find((t) => t.id === 'toolu_o')!.status, 'lost');
});

test('PostToolUse(Agent) ends an agent whose SubagentStop never came', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_p', spawnInput('Plan', 'Plan'))],
			[10, hook('SubagentStart', {agent_id: 'p1', agent_type: 'Plan'})],
			[9010, post('Agent', 'toolu_p', spawnInput('Plan', 'Plan'), response('p1'))],
		),
	);
	const [a] = v.agents(T0 + 10_000);
	assert.equal(a.status, 'done');
	assert.equal(a.toolCount, 3, 'totalToolUseCount when reported');
	assert.equal(a.durationMs, 9000);
});

test('parallel agents of different types join by type even when they start in the other order', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_e', spawnInput('Explore', 'Explore'))],
			[1, pre('Agent', 'toolu_r', spawnInput('Review', 'code-reviewer'))],
			[5, hook('SubagentStart', {agent_id: 'r1', agent_type: 'code-reviewer'})],
			[6, hook('SubagentStart', {agent_id: 'e1', agent_type: 'Explore'})],
		),
	);
	const rows = v.agents(T0 + 10);
	assert.equal(rows.length, 2);
	assert.equal(row(rows, 'e1').toolUseId, 'toolu_e');
	assert.equal(row(rows, 'r1').toolUseId, 'toolu_r');
	assert.equal(row(rows, 'r1').description, 'Review');
});

test('same-type agents guessed wrong by order are re-joined when PostToolUse(Agent) names agentId', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_1', spawnInput('First', 'Explore'))],
			[1, pre('Agent', 'toolu_2', spawnInput('Second', 'Explore'))],
			[5, hook('SubagentStart', {agent_id: 'x2', agent_type: 'Explore'})],
			[6, hook('SubagentStart', {agent_id: 'x1', agent_type: 'Explore'})],
		),
	);
	let rows = v.agents(T0 + 10);
	assert.equal(row(rows, 'x2').toolUseId, 'toolu_1', 'the guess by order');
	v.applyMany(
		seq(
			[
				500,
				hook('SubagentStop', {agent_id: 'x1', agent_type: 'Explore', last_assistant_message: 'first done'}),
			],
			[510, post('Agent', 'toolu_1', spawnInput('First', 'Explore'), response('x1'))],
		),
	);
	rows = v.agents(T0 + 600);
	assert.equal(rows.length, 2);
	assert.equal(row(rows, 'x1').toolUseId, 'toolu_1');
	assert.equal(row(rows, 'x1').description, 'First');
	assert.equal(row(rows, 'x1').status, 'done');
	assert.equal(row(rows, 'x2').toolUseId, 'toolu_2', 'the other one is swapped back');
	assert.equal(row(rows, 'x2').description, 'Second');
	assert.equal(row(rows, 'x2').status, 'running');
});

test('empty agent_type on SubagentStart and SubagentStop is survived', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_em', spawnInput('Something', 'general-purpose'))],
			[5, hook('SubagentStart', {agent_id: 'em1', agent_type: ''})],
			[90, hook('SubagentStop', {agent_id: 'em1', agent_type: '', last_assistant_message: 'ok'})],
		),
	);
	const [a] = v.agents(T0 + 100);
	assert.equal(a.toolUseId, 'toolu_em');
	assert.equal(a.type, 'general-purpose', 'the type from the Agent call');
	assert.equal(a.status, 'done');
});

test('tool events of an agent whose SubagentStart was lost still make its row', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[
				0,
				inAgent('lost1', 'Explore', 'PreToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_use_id: 'toolu_l1',
				}),
			],
			[
				40,
				inAgent('lost1', 'Explore', 'PostToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_response: {},
					tool_use_id: 'toolu_l1',
				}),
			],
		),
	);
	const [a] = v.agents(T0 + 50);
	assert.equal(a.id, 'lost1');
	assert.equal(a.type, 'Explore');
	assert.equal(a.status, 'running');
	assert.equal(a.toolCount, 1);
	assert.equal(a.toolUseId, null);
});

test('a background agent survives Stop of its session and ends at its SubagentStop', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_bg', spawnInput('Watch CI', 'general-purpose', true))],
			[5, hook('SubagentStart', {agent_id: 'bg1', agent_type: 'general-purpose'})],
			[
				20,
				post('Agent', 'toolu_bg', spawnInput('Watch CI', 'general-purpose', true), {
					agentId: 'bg1',
					status: 'async_launched',
				}),
			],
			[30, pre('Agent', 'toolu_fg', spawnInput('Quick look', 'Explore'))],
			[1000, hook('Stop', {stop_hook_active: false, last_assistant_message: 'started'})],
		),
	);
	let rows = v.agents(T0 + 2000);
	assert.equal(row(rows, 'bg1').status, 'running');
	assert.equal(row(rows, 'bg1').background, true);
	assert.equal(
		row(rows, 'toolu_fg').status,
		'interrupted',
		"a foreground agent cannot outlive its parent's turn",
	);
	assert.equal(row(rows, 'toolu_fg').interruptedBy, 'stop');
	v.apply(
		seq([
			60_000,
			hook('SubagentStop', {
				agent_id: 'bg1',
				agent_type: 'general-purpose',
				last_assistant_message: 'CI green',
			}),
		])[0],
	);
	rows = v.agents(T0 + 61_000);
	assert.equal(row(rows, 'bg1').status, 'done');
	assert.equal(row(rows, 'bg1').durationMs, 60_000);
});

test('claude-mpm subagent_start / subagent_stop envelopes', () => {
	const v = createViews();
	v.applyMany(seq([0, mpmEnvelopes.subagent_start], [4000, mpmEnvelopes.subagent_stop]));
	const [a] = v.agents(T0 + 5000);
	assert.equal(a.id, 'agent_42');
	assert.equal(a.type, 'engineer');
	assert.equal(a.description, 'Implement auth');
	assert.equal(a.status, 'done');
	assert.equal(a.lastMessage, 'Auth implemented with JWT.');
	assert.equal(a.durationMs, 4000);
});

test('out of order: PostToolUse(Agent) before SubagentStart, and a nested agent names its parent', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Agent', 'toolu_out', spawnInput('Outer', 'Plan'))],
			[
				900,
				post('Agent', 'toolu_out', spawnInput('Outer', 'Plan'), response('out1', {totalDurationMs: 880})),
			],
			[10, hook('SubagentStart', {agent_id: 'out1', agent_type: 'Plan'})],
			[
				20,
				inAgent('out1', 'Plan', 'PreToolUse', {
					tool_name: 'Agent',
					tool_input: spawnInput('Inner', 'Explore'),
					tool_use_id: 'toolu_in',
				}),
			],
			[30, hook('SubagentStart', {agent_id: 'in1', agent_type: 'Explore'})],
			[
				400,
				hook('SubagentStop', {agent_id: 'in1', agent_type: 'Explore', last_assistant_message: 'inner done'}),
			],
		),
	);
	const rows = v.agents(T0 + 1000);
	assert.equal(rows.length, 2);
	const outer = row(rows, 'out1');
	assert.equal(outer.toolUseId, 'toolu_out');
	assert.equal(outer.status, 'done');
	assert.equal(outer.start, T0);
	assert.equal(outer.durationMs, 880);
	assert.deepEqual(outer.toolCallIds, ['toolu_in'], 'spawning the inner agent is one of its tool calls');
	const inner = row(rows, 'in1');
	assert.equal(inner.toolUseId, 'toolu_in');
	assert.equal(inner.parent, 'out1');
	assert.equal(inner.description, 'Inner');
	assert.equal(inner.status, 'done');
});

test('bounded: at most maxAgents runs, finished ones dropped first', () => {
	const v = createViews({maxAgents: 20});
	const entries: Array<[number, Record<string, unknown>]> = [
		[0, hook('SubagentStart', {agent_id: 'keep', agent_type: 'Explore'})],
	];
	for (let i = 0; i < 60; i++) {
		entries.push([i * 10 + 1, hook('SubagentStart', {agent_id: `a${i}`, agent_type: 'Explore'})]);
		entries.push([i * 10 + 2, hook('SubagentStop', {agent_id: `a${i}`, agent_type: 'Explore'})]);
	}
	v.applyMany(seq(...entries));
	const rows = v.agents(T0 + 1000);
	assert.ok(rows.length <= 20 && rows.length >= 18, `kept ${rows.length}`);
	assert.ok(rows.some((r) => r.id === 'keep' && r.status === 'running'));
	assert.ok(rows.some((r) => r.id === 'a59'));
	assert.ok(!rows.some((r) => r.id === 'a0'));
});
