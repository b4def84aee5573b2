/**
 * claude-mpm wire compatibility, both directions: its `{type, subtype}` pairs onto Claude Code
 * hook event names (ingest), and a record onto the category event and body claude-mpm's
 * dashboards expect (`tool_event`, `hook_event`, `session_event`, `claude_event`). Pure.
 */
import type {EventRecord} from './record.js';

type Obj = Record<string, unknown>;

// Maps, not object literals: the keys come from clients, and `constructor` or `__proto__` must
// find nothing rather than Object.prototype's members.
const SUBTYPE_TO_HOOK = new Map<string, string>(Object.entries({
	pre_tool: 'PreToolUse',
	post_tool: 'PostToolUse',
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
	execution: 'HookExecution',
	assistant_response: 'AssistantResponse',
}));

/** claude-mpm's namespace-style pairs (`/session` `start`, `/todo` `updated`). */
const NAMESPACE_EVENT_TO_HOOK = new Map<string, string>(Object.entries({
	'session.start': 'SessionStart',
	'session.started': 'SessionStart',
	'session.end': 'SessionEnd',
	'session.ended': 'SessionEnd',
	'todo.updated': 'TodoUpdated',
}));

const HOOK_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The `type`s under which claude-mpm sends hook events: its hooks' `hook`, and the categories its
 * server's emits carry as `type` (server.py `_categorize_event`).
 */
const HOOK_TYPES = new Set(['hook', 'claude_event', 'hook_event', 'tool_event', 'session_event']);

/** True when claude-mpm's post_tool data says the tool failed. */
export function mpmToolFailed(data: Obj | undefined): boolean {
	if (!data) return false;
	if (data.success === false || data.is_interrupt === true) return true;
	const error = data.error;
	if (error !== undefined && error !== null && error !== false && error !== '') return true;
	const code = typeof data.exit_code === 'string' && data.exit_code.trim() !== '' ? Number(data.exit_code) : data.exit_code;
	if (typeof code === 'number' && !Number.isNaN(code) && code !== 0) return true;
	return data.status === 'error' || data.status === 'failed';
}

function pascal(snake: string): string {
	return snake
		.split(/[_\-\s]+/)
		.filter(Boolean)
		.map(part => part[0].toUpperCase() + part.slice(1))
		.join('');
}

function snake(name: string): string {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
		.toLowerCase();
}

/**
 * Maps claude-mpm's `type`/`subtype` onto a hook event name: `pre_tool` → PreToolUse,
 * `post_tool` → PostToolUse (PostToolUseFailure when `data` says it failed), … Other subtypes of
 * hook events (`type` `hook` or one of the categories claude-mpm's server gives them) keep a hook
 * name as they are (claude-hook-fast.sh sends `SubagentStart`, `PostToolUseFailure` as subtypes)
 * and become their PascalCase name when snake_case (`stop_failure` → StopFailure); anything else
 * becomes `mpm:<type>.<subtype>`. Without a subtype, `hook.user_prompt` is split at the dot and a
 * PascalCase type is taken as a hook name. (The caller first takes the payload's own
 * `hook_event_name` when it has one.)
 */
export function hookTypeFromMpm(type: string, subtype: string | undefined, data?: Record<string, unknown>): string {
	const t = type.trim();
	const s = subtype?.trim() ?? '';
	if (s === '') {
		const dot = t.indexOf('.');
		if (dot > 0 && dot < t.length - 1) return hookTypeFromMpm(t.slice(0, dot), t.slice(dot + 1), data);
		if (HOOK_NAME.test(t)) return t;
		const known = SUBTYPE_TO_HOOK.get(t.toLowerCase());
		if (known) return known === 'PostToolUse' && mpmToolFailed(data) ? 'PostToolUseFailure' : known;
		return `mpm:${t || 'event'}`;
	}
	const key = s.toLowerCase();
	const known = SUBTYPE_TO_HOOK.get(key);
	if (known) return known === 'PostToolUse' && mpmToolFailed(data) ? 'PostToolUseFailure' : known;
	const byNamespace = NAMESPACE_EVENT_TO_HOOK.get(`${t.replace(/^\//, '').toLowerCase()}.${key}`);
	if (byNamespace) return byNamespace;
	if (HOOK_TYPES.has(t.toLowerCase())) {
		if (HOOK_NAME.test(s)) return s;
		if (/^[a-z][a-z0-9_]*$/.test(key)) return pascal(key);
	}
	return `mpm:${t || 'event'}.${s}`;
}

export type MpmEventName = 'tool_event' | 'hook_event' | 'session_event' | 'claude_event';
export type MpmNamespace = '/hook' | '/session' | '/agent' | '/todo' | '/system' | '/log';

export interface MpmEmit {
	event: MpmEventName;
	namespace: MpmNamespace;
	namespaceEvent: string;
	body: {type: string; subtype: string; data: Record<string, unknown>; timestamp: string; session_id: string | null; source: string; cwd: string | null};
}

/** Events claude-mpm would show under `/system` rather than `/hook`. */
const SYSTEM_EVENTS = new Set([
	'Setup', 'InstructionsLoaded', 'ConfigChange', 'CwdChanged', 'DirectoryAdded', 'FileChanged',
	'WorktreeCreate', 'WorktreeRemove', 'PreCompact', 'PostCompact',
]);

const NAMESPACES = new Map<string, MpmNamespace>([
	['hook', '/hook'], ['session', '/session'], ['agent', '/agent'], ['todo', '/todo'], ['system', '/system'], ['log', '/log'],
]);

interface Route {
	event: MpmEventName;
	namespace: MpmNamespace;
	namespaceEvent: string;
	type: string;
	subtype: string;
}

function routeFor(hookType: string): Route {
	const hook = (event: MpmEventName, namespace: MpmNamespace, subtype: string, namespaceEvent = subtype): Route => ({event, namespace, namespaceEvent, type: 'hook', subtype});
	switch (hookType) {
		case 'PreToolUse':
			return hook('tool_event', '/hook', 'pre_tool');
		case 'PostToolUse':
		case 'PostToolUseFailure':
			return hook('tool_event', '/hook', 'post_tool');
		case 'SubagentStart':
			return hook('hook_event', '/agent', 'subagent_start');
		case 'SubagentStop':
			return hook('hook_event', '/agent', 'subagent_stop');
		case 'TodoUpdated':
			return hook('hook_event', '/todo', 'todo_updated', 'updated');
		case 'SessionStart':
			return hook('session_event', '/session', 'session_start', 'start');
		case 'SessionEnd':
			return hook('session_event', '/session', 'session_end', 'end');
		case 'UserPromptSubmit':
			return hook('claude_event', '/hook', 'user_prompt');
		default: {
			if (hookType.startsWith('mpm:')) {
				const rest = hookType.slice(4);
				const dot = rest.indexOf('.');
				const type = dot === -1 ? rest : rest.slice(0, dot);
				const subtype = dot === -1 ? '' : rest.slice(dot + 1);
				return {event: 'claude_event', namespace: NAMESPACES.get(type.toLowerCase()) ?? '/system', namespaceEvent: subtype || type, type, subtype};
			}
			return hook('claude_event', SYSTEM_EVENTS.has(hookType) ? '/system' : '/hook', snake(hookType));
		}
	}
}

function withoutMpm(payload: Obj): Obj {
	if (!Object.hasOwn(payload, '_mpm')) return payload;
	const {_mpm: _ignored, ...rest} = payload;
	return rest;
}

/**
 * The claude-mpm form of a record: category event, namespace and body. A record that came from
 * a claude-mpm envelope (`payload._mpm`) keeps its original type and subtype.
 */
export function toMpmEmit(record: EventRecord): MpmEmit {
	const route = routeFor(record.type);
	const original = typeof record.payload._mpm === 'object' && record.payload._mpm !== null ? (record.payload._mpm as Obj) : undefined;
	const type = typeof original?.type === 'string' && original.type !== '' ? original.type : route.type;
	const subtype = typeof original?.subtype === 'string' ? original.subtype : route.subtype;
	const source = typeof original?.source === 'string' && original.source !== '' ? original.source : 'mpm-tui';
	return {
		event: route.event,
		namespace: route.namespace,
		namespaceEvent: route.namespaceEvent,
		body: {
			type,
			subtype,
			data: withoutMpm(record.payload),
			timestamp: record.time,
			session_id: record.session,
			source,
			cwd: record.cwd,
		},
	};
}
