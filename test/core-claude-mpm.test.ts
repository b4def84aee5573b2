import {test} from 'node:test';
import assert from 'node:assert/strict';
import {hookTypeFromMpm, mpmCategory, mpmToolFailed, toMpmEmit} from '../source/core/claude-mpm.js';
import {normalize} from '../source/core/normalize.js';
import type {EventRecord} from '../source/core/record.js';
import {
	common,
	emitForm,
	hookEvents,
	issueEnvelope,
	mpmEnvelopes,
	sessionFlow,
} from './fixtures/hook-payloads.js';

function record(value: unknown, seq = 1): EventRecord {
	const r = normalize(value, {id: `id-${seq}`, receivedAt: '2026-11-23T10:00:00.000Z', source: 'hook'});
	assert.ok(r.ok, JSON.stringify(r));
	return {seq, ...r.record};
}

test('hookTypeFromMpm: every listed subtype', () => {
	const table: Array<[string, string]> = [
		['pre_tool', 'PreToolUse'],
		['post_tool', 'PostToolUse'],
		['user_prompt', 'UserPromptSubmit'],
		['subagent_start', 'SubagentStart'],
		['subagent_stop', 'SubagentStop'],
		['stop', 'Stop'],
		['session_start', 'SessionStart'],
		['session_end', 'SessionEnd'],
		['notification', 'Notification'],
		['permission_request', 'PermissionRequest'],
		['todo_updated', 'TodoUpdated'],
		['hook_execution', 'HookExecution'],
		['assistant_response', 'AssistantResponse'],
	];
	for (const [subtype, hook] of table) assert.equal(hookTypeFromMpm('hook', subtype), hook, subtype);
	assert.equal(hookTypeFromMpm('hook', 'post_tool', {success: false}), 'PostToolUseFailure');
	assert.equal(hookTypeFromMpm('hook', 'PRE_TOOL'), 'PreToolUse', 'case-insensitive');
});

test('hookTypeFromMpm: other forms', () => {
	assert.equal(hookTypeFromMpm('hook', 'stop_failure'), 'StopFailure', 'other hook subtypes: PascalCase');
	assert.equal(hookTypeFromMpm('hook', 'pre_compact'), 'PreCompact');
	assert.equal(hookTypeFromMpm('hook.user_prompt', undefined), 'UserPromptSubmit');
	assert.equal(hookTypeFromMpm('session', 'start'), 'SessionStart');
	assert.equal(hookTypeFromMpm('/session', 'end'), 'SessionEnd');
	assert.equal(hookTypeFromMpm('todo', 'updated'), 'TodoUpdated');
	assert.equal(hookTypeFromMpm('Stop', undefined), 'Stop', 'a hook name as type');
	assert.equal(hookTypeFromMpm('system', 'heartbeat'), 'mpm:system.heartbeat');
	assert.equal(hookTypeFromMpm('memory', 'loaded'), 'mpm:memory.loaded');
	assert.equal(hookTypeFromMpm('weird', undefined), 'mpm:weird');
	assert.equal(hookTypeFromMpm('hook', 'Weird Thing!'), 'mpm:hook.Weird Thing!');
});

test("hookTypeFromMpm: a hook name as subtype (claude-hook-fast.sh's unmapped events) is kept as it is", () => {
	for (const name of [
		'SubagentStart',
		'PermissionRequest',
		'PostToolUseFailure',
		'SessionEnd',
		'StopFailure',
		'PermissionDenied',
		'TaskCreated',
		'CwdChanged',
	]) {
		assert.equal(hookTypeFromMpm('hook', name), name, name);
		// claude-mpm's server re-emits them under a category as `type` (claude_event for these).
		assert.equal(hookTypeFromMpm('claude_event', name), name, `claude_event ${name}`);
	}
	assert.equal(hookTypeFromMpm('tool_event', 'pre_tool'), 'PreToolUse');
	assert.equal(hookTypeFromMpm('hook_event', 'subagent_start'), 'SubagentStart');
	assert.equal(hookTypeFromMpm('session_event', 'session_end'), 'SessionEnd');
	assert.equal(hookTypeFromMpm('claude_event', 'stop_failure'), 'StopFailure');
	assert.equal(hookTypeFromMpm('memory', 'Loaded'), 'mpm:memory.Loaded', 'only under hook types');
	// claude-mpm's server gives an event with no type or subtype the event name as subtype: no hook name in it.
	assert.equal(hookTypeFromMpm('claude_event', 'claude_event'), 'mpm:claude_event');
	assert.equal(hookTypeFromMpm('hook', 'claude_event'), 'mpm:claude_event');
});

test('mpmCategory is server.py _categorize_event', () => {
	// claude-mpm src/claude_mpm/services/monitor/server.py, _categorize_event (lines 400-476 at bb378b4).
	const table: Array<[string, string]> = [
		['subagent_start', 'hook_event'],
		['subagent_stop', 'hook_event'],
		['todo_updated', 'hook_event'],
		['pre_tool', 'tool_event'],
		['post_tool', 'tool_event'],
		['tool.start', 'tool_event'],
		['tool.end', 'tool_event'],
		['tool_use', 'tool_event'],
		['tool_result', 'tool_event'],
		['session.started', 'session_event'],
		['session.ended', 'session_event'],
		['session_start', 'session_event'],
		['session_end', 'session_event'],
		['token_usage_updated', 'session_event'],
		['response.start', 'response_event'],
		['response.end', 'response_event'],
		['response_started', 'response_event'],
		['response_ended', 'response_event'],
		['agent.delegated', 'agent_event'],
		['agent.returned', 'agent_event'],
		['agent_start', 'agent_event'],
		['agent_end', 'agent_event'],
		['file.read', 'file_event'],
		['file.write', 'file_event'],
		['file.edit', 'file_event'],
		['file_read', 'file_event'],
		['file_write', 'file_event'],
		['user_prompt', 'claude_event'],
		['assistant_message', 'claude_event'],
		['system_ready', 'system_event'],
		['system_shutdown', 'system_event'],
		// Anything else, also claude-hook-fast.sh's CamelCase subtypes and other cases: claude_event.
		['SubagentStart', 'claude_event'],
		['PRE_TOOL', 'claude_event'],
		['stop', 'claude_event'],
		['permission_request', 'claude_event'],
		['', 'claude_event'],
		['__proto__', 'claude_event'],
		['constructor', 'claude_event'],
	];
	for (const [subtype, category] of table) assert.equal(mpmCategory(subtype), category, subtype);
});

test('mpmToolFailed', () => {
	assert.equal(mpmToolFailed(undefined), false);
	assert.equal(mpmToolFailed({}), false);
	assert.equal(mpmToolFailed({success: true, exit_code: 0}), false);
	assert.equal(mpmToolFailed({success: false}), true);
	assert.equal(mpmToolFailed({error: {message: 'x'}}), true);
	assert.equal(mpmToolFailed({exit_code: 127}), true);
	assert.equal(mpmToolFailed({exit_code: 'abc'}), false);
	assert.equal(mpmToolFailed({status: 'error'}), true);
});

test('round trip: normalize(envelope) then toMpmEmit gives back the same subtype, data and time, under its category', () => {
	for (const [key, envelope] of Object.entries({...mpmEnvelopes, issueEnvelope})) {
		const data = envelope.data as {
			type: string;
			subtype: string;
			data: Record<string, unknown>;
			timestamp?: string;
		};
		const emit = toMpmEmit(record(envelope));
		assert.equal(emit.body.type, mpmCategory(data.subtype), key);
		assert.equal(emit.event, emit.body.type, key);
		assert.equal(emit.body.subtype, data.subtype, key);
		assert.deepEqual(emit.body.data, data.data, `${key}: _mpm removed, data as sent`);
		assert.equal(
			emit.body.timestamp,
			data.timestamp ?? '2026-11-23T10:00:00.000Z',
			`${key}: the envelope's own time`,
		);
	}
	const emit = toMpmEmit(record(emitForm));
	assert.deepEqual(
		[emit.event, emit.namespace, emit.namespaceEvent, emit.body.type, emit.body.subtype],
		['claude_event', '/hook', 'user_prompt', 'claude_event', 'user_prompt'],
	);
});

test('round trip the other way: toMpmEmit body, posted back, gives the same hook type', () => {
	for (const payload of [...sessionFlow, ...Object.values(hookEvents)]) {
		const original = record(payload);
		const emit = toMpmEmit(original);
		const back = record({namespace: emit.namespace, event: emit.event, data: emit.body});
		assert.equal(back.type, original.type, `${original.type} via ${emit.body.subtype}`);
		assert.equal(back.session, original.session);
		assert.equal(back.tool, original.tool);
		assert.equal(back.summary, original.summary);
	}
});

test('toMpmEmit categories and namespaces for raw hook records', () => {
	const route = (payload: Record<string, unknown>) => {
		const e = toMpmEmit(record(payload));
		assert.equal(e.body.type, e.event, "the body's type is the event name");
		return [e.event, e.namespace, e.namespaceEvent, e.body.subtype].join(' ');
	};
	assert.equal(route(hookEvents.PreToolUse), 'tool_event /hook pre_tool pre_tool');
	assert.equal(route(hookEvents.PostToolUse), 'tool_event /hook post_tool post_tool');
	assert.equal(route(hookEvents.PostToolUseFailure), 'tool_event /hook post_tool post_tool');
	assert.equal(route(hookEvents.SubagentStart), 'hook_event /agent subagent_start subagent_start');
	assert.equal(route(hookEvents.SubagentStop), 'hook_event /agent subagent_stop subagent_stop');
	assert.equal(route(hookEvents.SessionStart), 'session_event /session start session_start');
	assert.equal(route(hookEvents.SessionEnd), 'session_event /session end session_end');
	assert.equal(route(hookEvents.UserPromptSubmit), 'claude_event /hook user_prompt user_prompt');
	assert.equal(route(hookEvents.Stop), 'claude_event /hook stop stop');
	assert.equal(route(hookEvents.Notification), 'claude_event /hook notification notification');
	assert.equal(
		route(hookEvents.PermissionRequest),
		'claude_event /hook permission_request permission_request',
	);
	assert.equal(route(hookEvents.StopFailure), 'claude_event /hook stop_failure stop_failure');
	assert.equal(route(hookEvents.PreCompact), 'claude_event /system pre_compact pre_compact');
	assert.equal(route(hookEvents.ConfigChange), 'claude_event /system config_change config_change');
	assert.equal(route(mpmEnvelopes.todo_updated), 'hook_event /todo updated todo_updated');
	assert.equal(
		route({type: 'system', subtype: 'heartbeat', data: {clients: 2}}),
		'claude_event /system heartbeat heartbeat',
	);
	assert.equal(
		route({namespace: '/log', event: 'message', data: {level: 'INFO', message: 'hi'}}),
		'claude_event /log message message',
	);
});

test('toMpmEmit body fields come from the record', () => {
	const r = record(common('PreToolUse', {tool_name: 'Bash', tool_input: {command: 'ls'}, tool_use_id: 't'}));
	const e = toMpmEmit(r);
	assert.equal(e.body.session_id, r.session);
	assert.equal(e.body.cwd, r.cwd);
	assert.equal(e.body.source, 'hook', "the record's source (claude-mpm's default for hook events)");
	assert.equal(e.body.correlation_id, 't', 'the tool use id');
	assert.deepEqual(
		e.body.data,
		{...r.payload, correlation_id: 't'},
		"for pre_tool/post_tool the key in data too, where claude-mpm's dashboard looks it up",
	);
	assert.equal(r.payload.correlation_id, undefined, "the record's payload is not changed");
	const prompt = record(common('UserPromptSubmit', {prompt: 'hi'}));
	assert.equal(toMpmEmit(prompt).body.data, prompt.payload, 'no copy for other events without _mpm');
	assert.equal(
		toMpmEmit(record(mpmEnvelopes.pre_tool)).body.source,
		'claude_hooks',
		'the original source is kept',
	);
	const stop = toMpmEmit(record(common('Stop', {cwd: undefined})));
	assert.deepEqual(
		Object.keys(stop.body),
		['type', 'subtype', 'data', 'timestamp', 'session_id', 'source'],
		'no correlation_id without a tool use id, no cwd without one',
	);
});
