import {test} from 'node:test';
import assert from 'node:assert/strict';
import {hookTypeFromMpm, mpmToolFailed, toMpmEmit} from '../source/core/claude-mpm.js';
import {normalize} from '../source/core/normalize.js';
import type {EventRecord} from '../source/core/record.js';
import {common, emitForm, hookEvents, issueEnvelope, mpmEnvelopes, sessionFlow} from './fixtures/hook-payloads.js';

function record(value: unknown, seq = 1): EventRecord {
	const r = normalize(value, {id: `id-${seq}`, receivedAt: '2026-11-23T10:00:00.000Z', source: 'hook'});
	assert.ok(r.ok, JSON.stringify(r));
	return {seq, ...r.record};
}

test('hookTypeFromMpm: every listed subtype', () => {
	const table: Array<[string, string]> = [
		['pre_tool', 'PreToolUse'], ['post_tool', 'PostToolUse'], ['user_prompt', 'UserPromptSubmit'],
		['subagent_start', 'SubagentStart'], ['subagent_stop', 'SubagentStop'], ['stop', 'Stop'],
		['session_start', 'SessionStart'], ['session_end', 'SessionEnd'], ['notification', 'Notification'],
		['permission_request', 'PermissionRequest'], ['todo_updated', 'TodoUpdated'],
		['hook_execution', 'HookExecution'], ['assistant_response', 'AssistantResponse'],
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

test('hookTypeFromMpm: a hook name as subtype (claude-hook-fast.sh\'s unmapped events) is kept as it is', () => {
	for (const name of ['SubagentStart', 'PermissionRequest', 'PostToolUseFailure', 'SessionEnd', 'StopFailure', 'PermissionDenied', 'TaskCreated', 'CwdChanged']) {
		assert.equal(hookTypeFromMpm('hook', name), name, name);
		// claude-mpm's server re-emits them under a category as `type` (claude_event for these).
		assert.equal(hookTypeFromMpm('claude_event', name), name, `claude_event ${name}`);
	}
	assert.equal(hookTypeFromMpm('tool_event', 'pre_tool'), 'PreToolUse');
	assert.equal(hookTypeFromMpm('hook_event', 'subagent_start'), 'SubagentStart');
	assert.equal(hookTypeFromMpm('session_event', 'session_end'), 'SessionEnd');
	assert.equal(hookTypeFromMpm('claude_event', 'stop_failure'), 'StopFailure');
	assert.equal(hookTypeFromMpm('memory', 'Loaded'), 'mpm:memory.Loaded', 'only under hook types');
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

test('round trip: normalize(envelope) then toMpmEmit gives back the same type and subtype and data', () => {
	for (const [key, envelope] of Object.entries({...mpmEnvelopes, issueEnvelope})) {
		const data = envelope.data as {type: string; subtype: string; data: Record<string, unknown>; timestamp?: string};
		const emit = toMpmEmit(record(envelope));
		assert.equal(emit.body.type, data.type, key);
		assert.equal(emit.body.subtype, data.subtype, key);
		assert.deepEqual(emit.body.data, data.data, `${key}: _mpm removed, data as sent`);
		assert.equal(emit.body.timestamp, data.timestamp ?? '2026-11-23T10:00:00.000Z', `${key}: the envelope's own time`);
	}
	const emit = toMpmEmit(record(emitForm));
	assert.deepEqual([emit.event, emit.namespace, emit.namespaceEvent, emit.body.type, emit.body.subtype], ['claude_event', '/hook', 'user_prompt', 'hook', 'user_prompt']);
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
		return [e.event, e.namespace, e.namespaceEvent, e.body.type, e.body.subtype].join(' ');
	};
	assert.equal(route(hookEvents.PreToolUse), 'tool_event /hook pre_tool hook pre_tool');
	assert.equal(route(hookEvents.PostToolUse), 'tool_event /hook post_tool hook post_tool');
	assert.equal(route(hookEvents.PostToolUseFailure), 'tool_event /hook post_tool hook post_tool');
	assert.equal(route(hookEvents.SubagentStart), 'hook_event /agent subagent_start hook subagent_start');
	assert.equal(route(hookEvents.SubagentStop), 'hook_event /agent subagent_stop hook subagent_stop');
	assert.equal(route(hookEvents.SessionStart), 'session_event /session start hook session_start');
	assert.equal(route(hookEvents.SessionEnd), 'session_event /session end hook session_end');
	assert.equal(route(hookEvents.UserPromptSubmit), 'claude_event /hook user_prompt hook user_prompt');
	assert.equal(route(hookEvents.Stop), 'claude_event /hook stop hook stop');
	assert.equal(route(hookEvents.Notification), 'claude_event /hook notification hook notification');
	assert.equal(route(hookEvents.PermissionRequest), 'claude_event /hook permission_request hook permission_request');
	assert.equal(route(hookEvents.StopFailure), 'claude_event /hook stop_failure hook stop_failure');
	assert.equal(route(hookEvents.PreCompact), 'claude_event /system pre_compact hook pre_compact');
	assert.equal(route(hookEvents.ConfigChange), 'claude_event /system config_change hook config_change');
	assert.equal(route(mpmEnvelopes.todo_updated), 'hook_event /todo updated hook todo_updated');
	assert.equal(route({type: 'system', subtype: 'heartbeat', data: {clients: 2}}), 'claude_event /system heartbeat system heartbeat');
	assert.equal(route({namespace: '/log', event: 'message', data: {level: 'INFO', message: 'hi'}}), 'claude_event /log message log message');
});

test('toMpmEmit body fields come from the record', () => {
	const r = record(common('PreToolUse', {tool_name: 'Bash', tool_input: {command: 'ls'}, tool_use_id: 't'}));
	const e = toMpmEmit(r);
	assert.equal(e.body.session_id, r.session);
	assert.equal(e.body.cwd, r.cwd);
	assert.equal(e.body.source, 'mpm-tui');
	assert.equal(e.body.data, r.payload, 'no copy without _mpm');
	assert.equal(toMpmEmit(record(mpmEnvelopes.pre_tool)).body.source, 'claude_hooks', 'the original source is kept');
});
