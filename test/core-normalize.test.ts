import {test} from 'node:test';
import assert from 'node:assert/strict';
import {normalize, type NormalizeMeta} from '../source/core/normalize.js';
import type {PendingRecord} from '../source/core/record.js';
import {
	AGENT_ID,
	AGENT_TYPE,
	CWD,
	MPM_SESSION,
	SESSION_ID,
	TOOL_IDS,
	bareMpm,
	common,
	emitForm,
	hookEvents,
	issueEnvelope,
	mpmEnvelopes,
	sessionFlow,
} from './fixtures/hook-payloads.js';

const meta: NormalizeMeta = {id: 'evt-1', receivedAt: '2026-11-23T10:00:00.123Z', source: 'hook'};

function ok(value: unknown, m: NormalizeMeta = meta, maxFieldBytes?: number): PendingRecord {
	const r = normalize(value, m, maxFieldBytes === undefined ? undefined : {maxFieldBytes});
	assert.ok(r.ok, `expected ok, got ${JSON.stringify(r)}`);
	return r.record;
}

function fails(value: unknown): string {
	const r = normalize(value, meta);
	assert.equal(r.ok, false, `expected an error for ${JSON.stringify(value)}`);
	return (r as {error: string}).error;
}

test('raw hook payload: fields mapped, payload kept as the same object', () => {
	const payload = sessionFlow[6];
	const r = normalize(payload, meta);
	assert.ok(r.ok);
	assert.equal(r.truncated, false);
	assert.deepEqual(r.record, {
		id: 'evt-1',
		time: '2026-11-23T10:00:00.123Z',
		received: '2026-11-23T10:00:00.123Z',
		session: SESSION_ID,
		type: 'PreToolUse',
		tool: 'Bash',
		toolUseId: TOOL_IDS.bash,
		agentId: null,
		agentType: null,
		cwd: CWD,
		summary: 'Bash  npm test',
		source: 'hook',
		payload,
	});
	assert.equal(r.record.payload, payload, 'no copy when nothing is cut');
	assert.equal('seq' in r.record, false);
});

test('every event of the session flow normalizes, subagent events carry agent id and type', () => {
	const records = sessionFlow.map((p) => ok(p));
	assert.deepEqual(
		records.map((r) => r.type),
		sessionFlow.map((p) => p.hook_event_name),
	);
	for (const r of records) assert.equal(r.session, SESSION_ID);
	const nested = records.filter((r) => r.agentId === AGENT_ID);
	assert.deepEqual(
		nested.map((r) => r.type),
		['SubagentStart', 'PreToolUse', 'PostToolUse', 'PreToolUse', 'PostToolUse', 'SubagentStop'],
	);
	for (const r of nested) assert.equal(r.agentType, AGENT_TYPE);
	const agentPost = records.find((r) => r.type === 'PostToolUse' && r.tool === 'Agent');
	assert.equal(agentPost?.toolUseId, TOOL_IDS.agent);
	assert.equal(agentPost?.agentId, null);
});

test('every hook event of the reference doc is accepted with its own name', () => {
	for (const [name, payload] of Object.entries(hookEvents)) {
		const r = ok(payload);
		assert.equal(r.type, name);
		assert.ok(r.summary.length > 0 && r.summary.length <= 200, name);
		assert.doesNotMatch(r.summary, /[\n\r\t]/);
	}
});

test('unknown hook event names are kept and summarized generically', () => {
	const r = ok(common('BrandNewEvent', {detail: 'something happened'}));
	assert.equal(r.type, 'BrandNewEvent');
	assert.equal(r.summary, 'BrandNewEvent  something happened');
});

test('PostToolBatch stays one record', () => {
	const r = ok(hookEvents.PostToolBatch);
	assert.equal(r.type, 'PostToolBatch');
	assert.equal(r.tool, null);
	assert.equal(r.summary, 'batch  3 tools: Read, Grep, Bash');
});

test('structural garbage is rejected with a specific reason', () => {
	assert.equal(fails({foo: 1}), 'event has no hook_event_name, type or subtype');
	assert.equal(fails({namespace: 'x', data: {foo: 1}}), 'event has no hook_event_name, type or subtype');
	assert.equal(fails({hook_event_name: 5}), 'hook_event_name must be a string, got number');
	assert.equal(fails({hook_event_name: null}), 'hook_event_name must be a string, got null');
	assert.equal(fails({hook_event_name: '  '}), 'hook_event_name is empty');
	assert.equal(fails(common('Stop', {session_id: 7})), 'session_id must be a string, got number');
	assert.equal(fails(common('PreToolUse', {tool_name: ['Bash']})), 'tool_name must be a string, got array');
	assert.equal(fails(common('PreToolUse', {tool_use_id: {}})), 'tool_use_id must be a string, got object');
	assert.equal(fails(common('SubagentStart', {agent_id: 1})), 'agent_id must be a string, got number');
	assert.equal(
		fails(common('SubagentStart', {agent_type: true})),
		'agent_type must be a string, got boolean',
	);
	assert.equal(fails(common('Stop', {cwd: 3})), 'cwd must be a string, got number');
	assert.equal(fails({type: 5, subtype: 'pre_tool'}), 'type must be a string, got number');
	assert.equal(fails({type: 'hook', subtype: 5}), 'subtype must be a string, got number');
	assert.equal(fails({type: '', subtype: ''}), 'event has an empty type and subtype');
	assert.equal(fails({type: 'hook', subtype: 'pre_tool', data: 'x'}), 'data must be an object, got string');
	assert.equal(
		fails({type: 'hook', subtype: 'pre_tool', data: {session_id: 12}}),
		'session_id must be a string, got number',
	);
	assert.equal(fails(42), 'event must be a JSON object, got a number');
	assert.equal(fails([{}]), 'event must be a JSON object, got an array');
	assert.equal(fails(null), 'event must be a JSON object, got null');
});

test('null optional fields are accepted as absent', () => {
	const r = ok(common('Stop', {session_id: null, cwd: null}));
	assert.equal(r.session, null);
	assert.equal(r.cwd, null);
});

const expectedMpmTypes: Record<string, string> = {
	pre_tool: 'PreToolUse',
	post_tool: 'PostToolUse',
	post_tool_failed: 'PostToolUseFailure',
	user_prompt: 'UserPromptSubmit',
	subagent_start: 'SubagentStart',
	subagent_stop: 'SubagentStop',
	stop: 'Stop',
	session_start: 'SessionStart',
	session_end: 'SessionEnd',
	notification: 'Notification',
	permission_request: 'PermissionRequest',
	todo_updated: 'TodoUpdated',
	hook_execution: 'HookExecution',
	assistant_response: 'AssistantResponse',
};

test('claude-mpm envelopes map every subtype onto a hook type', () => {
	for (const [key, envelope] of Object.entries(mpmEnvelopes)) {
		const r = ok(envelope);
		assert.equal(r.type, expectedMpmTypes[key], key);
		assert.equal(r.source, 'mpm', key);
		assert.equal(r.session, MPM_SESSION, key);
		assert.equal(r.cwd, CWD, key);
		const inner = (envelope.data as {data: Record<string, unknown>}).data;
		const {_mpm, ...rest} = r.payload;
		assert.deepEqual(rest, inner, `${key}: payload is the inner data`);
		assert.deepEqual(_mpm, {
			type: 'hook',
			subtype: (envelope.data as {subtype: string}).subtype,
			namespace: '',
			event: envelope.event,
			source: 'claude_hooks',
			timestamp: '2025-01-31T14:31:20.123Z',
		});
		assert.equal(r.time, '2025-01-31T14:31:20.123Z', `${key}: the envelope's own time`);
		assert.equal(r.received, meta.receivedAt, `${key}: received when it came`);
	}
	assert.equal(ok(mpmEnvelopes.pre_tool).summary, 'Edit  source/app.tsx');
	assert.equal(ok(mpmEnvelopes.subagent_start).agentId, 'agent_42');
	assert.equal(ok(mpmEnvelopes.subagent_start).agentType, 'engineer');
	assert.equal(ok(mpmEnvelopes.todo_updated).summary, 'todos  2 todos (1 in progress)');
});

test('the issue example envelope is accepted', () => {
	const r = ok(issueEnvelope);
	assert.equal(r.type, 'PreToolUse');
	assert.equal(r.tool, 'Read');
	assert.equal(r.session, 's1');
	assert.equal(r.summary, 'Read');
});

test('envelope fields fall back from the inner data to the envelope data level', () => {
	const r = ok({
		namespace: '',
		event: 'claude_event',
		data: {
			type: 'hook',
			subtype: 'pre_tool',
			session_id: 'outer',
			cwd: '/outer',
			tool_name: 'Glob',
			data: {tool_input: {pattern: '**/*.ts'}},
		},
	});
	assert.equal(r.session, 'outer');
	assert.equal(r.cwd, '/outer');
	assert.equal(r.tool, 'Glob');
	assert.equal(r.summary, 'Glob  **/*.ts');
	const inner = ok({
		type: 'hook',
		subtype: 'pre_tool',
		session_id: 'outer',
		data: {sessionId: 'inner', working_directory: '/w'},
	});
	assert.equal(inner.session, 'inner');
	assert.equal(inner.cwd, '/w');
});

test('post_tool failure is detected from success:false, error, exit code and interrupts', () => {
	const type = (data: Record<string, unknown>) =>
		ok({type: 'hook', subtype: 'post_tool', data: {tool_name: 'Bash', ...data}}).type;
	assert.equal(type({success: false}), 'PostToolUseFailure');
	assert.equal(type({error: 'boom'}), 'PostToolUseFailure');
	assert.equal(type({exit_code: 2}), 'PostToolUseFailure');
	assert.equal(type({exit_code: '1'}), 'PostToolUseFailure');
	assert.equal(type({is_interrupt: true}), 'PostToolUseFailure');
	assert.equal(type({exit_code: 0, success: true, error: null}), 'PostToolUse');
	assert.equal(type({error: ''}), 'PostToolUse');
});

test('bare inner form, POST /emit form and dotted type form', () => {
	const bare = ok(bareMpm);
	assert.equal(bare.type, 'PreToolUse');
	assert.equal(bare.summary, 'Read  README.md');
	assert.deepEqual(bare.payload._mpm, {type: 'hook', subtype: 'pre_tool', namespace: null, event: null});
	const emit = ok(emitForm);
	assert.equal(emit.type, 'UserPromptSubmit');
	assert.equal(emit.summary, 'prompt  "Implement user authentication"');
	const dotted = ok({
		type: 'hook.user_prompt',
		timestamp: '2025-07-31T12:00:00.000Z',
		data: {prompt: 'hi', session_id: 'abc'},
	});
	assert.equal(dotted.type, 'UserPromptSubmit');
	assert.deepEqual(dotted.payload._mpm, {
		type: 'hook',
		subtype: 'user_prompt',
		namespace: null,
		event: null,
		timestamp: '2025-07-31T12:00:00.000Z',
	});
	assert.equal(dotted.time, '2025-07-31T12:00:00.000Z');
	const noData = ok({type: 'hook', subtype: 'stop', session_id: 'abc', reason: 'completed'});
	assert.deepEqual(noData.payload, {
		session_id: 'abc',
		reason: 'completed',
		_mpm: {type: 'hook', subtype: 'stop', namespace: null, event: null},
	});
	assert.equal(noData.summary, 'stop  (completed)');
});

test("the hook's own hook_event_name names an envelope, whatever its subtype; fields come from the hook's payload", () => {
	const payload = {...hookEvents.SubagentStart};
	// claude-hook-fast.sh's data level, posted bare (no namespace/event around it).
	const bare = ok({
		type: 'hook',
		subtype: 'SubagentStart',
		hook_event_name: 'SubagentStart',
		tool_name: 'Grep',
		session_id: 'from-the-envelope',
		correlation_id: 'SubagentStart_1',
		timestamp: '2026-03-04T05:06:07.000Z',
		source: 'fast_hook',
		data: payload,
	});
	assert.deepEqual(
		[bare.type, bare.session, bare.tool, bare.toolUseId, bare.agentId, bare.time],
		['SubagentStart', SESSION_ID, null, null, AGENT_ID, '2026-03-04T05:06:07.000Z'],
	);
	assert.equal(
		bare.payload.hook_event_name,
		'SubagentStart',
		"the payload is the hook's, not the envelope level",
	);
	// claude-mpm's server's emit, whose data (a hook payload) has a `type` of its own: the body is the level with type/subtype.
	const body = ok({
		type: 'tool_event',
		subtype: 'pre_tool',
		data: {...hookEvents.PreToolUse, type: 'own-field'},
		timestamp: '2026-03-04T05:06:07.000Z',
		session_id: SESSION_ID,
		source: 'fast_hook',
		correlation_id: 'Bash_1',
	});
	assert.deepEqual([body.type, body.tool, body.toolUseId], ['PreToolUse', 'Bash', TOOL_IDS.bash]);
	assert.equal(body.payload.type, 'own-field');
	// The envelope level's name counts when the payload has none; a name that is not a string does not.
	assert.equal(
		ok({
			namespace: '/',
			event: 'claude_event',
			data: {type: 'hook', subtype: 'x_y', hook_event_name: 'Setup', data: {session_id: 's'}},
		}).type,
		'Setup',
	);
	assert.equal(
		ok({
			namespace: '/',
			event: 'claude_event',
			data: {type: 'hook', subtype: 'stop', data: {hook_event_name: 7, session_id: 's'}},
		}).type,
		'Stop',
	);
});

test('unmapped claude-mpm events get a readable mpm:<type>.<subtype> type', () => {
	assert.equal(
		ok({namespace: 'system', event: 'custom_event', data: {message: 'Custom event data'}}).type,
		'mpm:system.custom_event',
	);
	assert.equal(
		ok({type: 'memory', subtype: 'loaded', data: {agent_id: 'engineer'}}).type,
		'mpm:memory.loaded',
	);
	const r = ok({type: 'system', subtype: 'heartbeat', data: {clients: 3}});
	assert.equal(r.type, 'mpm:system.heartbeat');
	assert.equal(r.summary, 'mpm:system.heartbeat');
});

test('source: mpm for envelopes posted as hooks, otherwise what meta says', () => {
	assert.equal(ok(issueEnvelope, {...meta, source: 'spool'}).source, 'spool');
	assert.equal(ok(issueEnvelope, {...meta, source: 'socket'}).source, 'socket');
	assert.equal(ok(sessionFlow[0], {...meta, source: 'emit'}).source, 'emit');
});

test('an already-normalized record keeps its fields and loses seq', () => {
	const original = {
		seq: 42,
		...ok(sessionFlow[14], {id: 'orig-id', receivedAt: '2026-01-02T03:04:05.000Z', source: 'hook'}),
	};
	const r = normalize(JSON.parse(JSON.stringify(original)), {
		id: 'new-id',
		receivedAt: '2026-11-23T10:00:00.000Z',
		source: 'replay',
	});
	assert.ok(r.ok);
	const {seq: _seq, ...expected} = original;
	assert.deepEqual(r.record, expected);
	assert.equal('seq' in r.record, false);
});

test('a record with id+time and no seq is recognized; missing time uses meta', () => {
	const rec = {
		id: 'r1',
		time: '2026-01-01T00:00:00.000Z',
		type: 'Stop',
		summary: 'stop',
		payload: {},
		session: 's',
		source: 'forward',
	};
	const r = ok(rec);
	assert.equal(r.id, 'r1');
	assert.equal(r.time, '2026-01-01T00:00:00.000Z');
	assert.equal(r.source, 'forward');
	assert.equal(r.tool, null);
	const noTime = ok({seq: 3, type: 'Stop', summary: 'stop', payload: {}});
	assert.equal(noTime.time, meta.receivedAt);
	assert.equal(noTime.id, meta.id);
	assert.equal(noTime.source, 'hook');
});

test('malformed normalized records are rejected with a reason', () => {
	const base = {seq: 1, id: 'a', time: '2026-01-01T00:00:00Z', type: 'Stop', summary: 'stop', payload: {}};
	assert.equal(fails({...base, payload: 'x'}), 'record payload must be an object, got string');
	assert.equal(fails({...base, summary: 3}), 'record summary must be a string, got number');
	assert.equal(fails({...base, type: 3}), 'record type must be a string, got number');
	assert.equal(fails({...base, type: ''}), 'record type is empty');
	assert.equal(fails({...base, id: 9}), 'record id must be a string, got number');
	assert.equal(
		fails({...base, time: 'yesterday'}),
		'record time must be an ISO date string after 1970 (as 2026-07-27T12:31:53.000Z), got "yesterday"',
	);
	assert.equal(fails({...base, session: 5}), 'record session must be a string, got number');
});

test('a record summary with newlines is flattened to one line', () => {
	assert.equal(
		ok({seq: 1, id: 'a', time: '2026-01-01T00:00:00Z', type: 'Stop', summary: 'a\nb', payload: {}}).summary,
		'a b',
	);
});

test('oversized fields are cut; the summary still comes from the whole payload', () => {
	const big = 'x'.repeat(50_000);
	const payload = common('PostToolUse', {
		tool_name: 'Bash',
		tool_input: {command: 'cat big.log'},
		tool_response: {stdout: big, stderr: ''},
		tool_use_id: 'toolu_big',
	});
	const r = normalize(payload, meta, {maxFieldBytes: 1000});
	assert.ok(r.ok);
	assert.equal(r.truncated, true);
	const stdout = (r.record.payload.tool_response as {stdout: string}).stdout;
	assert.equal(stdout, 'x'.repeat(1000) + '…[mpm-tui: cut 49000 chars]');
	assert.equal(r.record.summary, 'Bash  cat big.log');
	assert.equal((payload.tool_response as {stdout: string}).stdout.length, 50_000, 'input not mutated');
	const dflt = normalize(payload, meta);
	assert.ok(dflt.ok && dflt.truncated);
	assert.equal(
		(dflt.record.payload.tool_response as {stdout: string}).stdout.length,
		16_384 + '…[mpm-tui: cut 33616 chars]'.length,
	);
});

test('namespace-only envelopes: the namespace is the type, the event the subtype', () => {
	assert.equal(
		ok({namespace: '/session', event: 'start', data: {session_id: 'm1', working_directory: '/w'}}).type,
		'SessionStart',
	);
	assert.equal(ok({namespace: '/todo', event: 'updated', data: {todos: []}}).type, 'TodoUpdated');
	assert.equal(
		ok({namespace: '/agent', event: 'task_delegated', data: {agent: 'engineer', task: 'auth'}}).type,
		'mpm:agent.task_delegated',
	);
	assert.equal(ok({namespace: '', event: 'pre_tool', data: {tool_name: 'Read'}}).type, 'PreToolUse');
	assert.equal(
		fails({namespace: '/hook', event: '', data: {}}),
		'event has no hook_event_name, type or subtype',
	);
});

test("claude-mpm's flat normalized form: tool calls pair by correlation_id, execution events map", () => {
	const pre = ok({
		event: 'claude_event',
		source: 'hook',
		type: 'hook',
		subtype: 'pre_tool',
		timestamp: '2025-12-23T10:30:00.123Z',
		correlation_id: 'corr-1',
		data: {
			session_id: 'abc123',
			working_directory: '/p',
			tool_name: 'Write',
			operation_type: 'file_write',
			tool_parameters: {file_path: '/p/a.py'},
		},
	});
	assert.equal(pre.type, 'PreToolUse');
	assert.equal(pre.toolUseId, 'corr-1');
	assert.equal(pre.cwd, '/p');
	assert.equal(pre.summary, 'Write  a.py');
	const post = ok({
		type: 'hook',
		subtype: 'post_tool',
		data: {session_id: 'abc123', tool_name: 'Write', tool_call_id: 'corr-1', exit_code: 0},
	});
	assert.equal(post.toolUseId, 'corr-1');
	const prompt = ok({
		type: 'hook',
		subtype: 'user_prompt',
		correlation_id: 'corr-2',
		data: {session_id: 'abc123', prompt_text: 'Write a function to parse JSON'},
	});
	assert.equal(prompt.toolUseId, null, 'correlation ids only name tool calls');
	assert.equal(prompt.summary, 'prompt  "Write a function to parse JSON"');
	assert.equal(
		ok({type: 'hook', subtype: 'pre_tool', correlation_id: 7, data: {tool_name: 'Read'}}).toolUseId,
		null,
		'a non-string alias is skipped, not fatal',
	);
	assert.equal(
		ok({
			event: 'claude_event',
			source: 'mpm_hook',
			type: 'hook',
			subtype: 'execution',
			data: {hook_name: 'PreToolUse', success: true},
		}).type,
		'HookExecution',
	);
});

test('with its source text the result is the same: walk skipped only when nothing can need cutting', () => {
	const inputs: unknown[] = [
		...sessionFlow,
		...Object.values(mpmEnvelopes),
		issueEnvelope,
		bareMpm,
		emitForm,
		{hook_event_name: 'Stop', session_id: 's', big: 'y'.repeat(500)},
	];
	for (const value of inputs) {
		const text = JSON.stringify(value);
		for (const maxFieldBytes of [16_384, 100]) {
			const plain = normalize(value, meta, {maxFieldBytes});
			const hinted = normalize(value, meta, {maxFieldBytes, sourceText: text});
			assert.deepEqual(hinted, plain, text.slice(0, 80));
		}
	}
	const cut = normalize({hook_event_name: 'Stop', big: 'y'.repeat(500)}, meta, {
		maxFieldBytes: 100,
		sourceText: `{"hook_event_name":"Stop","big":"${'y'.repeat(500)}"}`,
	});
	assert.ok(cut.ok && cut.truncated, 'a long field is still cut');
});
