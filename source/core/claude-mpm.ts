/**
 * claude-mpm wire compatibility, both directions: its `{type, subtype}` pairs onto Claude Code
 * hook event names (ingest), and a record onto the category event and body claude-mpm's
 * dashboards expect (`tool_event`, `hook_event`, `session_event`, `claude_event`). Pure.
 */
import type {EventRecord} from './record.js';

type Obj = Record<string, unknown>;

// Maps, not object literals: the keys come from clients, and `constructor` or `__proto__` must
// find nothing rather than Object.prototype's members.
const SUBTYPE_TO_HOOK = new Map<string, string>(
	Object.entries({
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
	}),
);

/** claude-mpm's namespace-style pairs (`/session` `start`, `/todo` `updated`). */
const NAMESPACE_EVENT_TO_HOOK = new Map<string, string>(
	Object.entries({
		'session.start': 'SessionStart',
		'session.started': 'SessionStart',
		'session.end': 'SessionEnd',
		'session.ended': 'SessionEnd',
		'todo.updated': 'TodoUpdated',
	}),
);

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
	const code =
		typeof data.exit_code === 'string' && data.exit_code.trim() !== ''
			? Number(data.exit_code)
			: data.exit_code;
	if (typeof code === 'number' && !Number.isNaN(code) && code !== 0) return true;
	return data.status === 'error' || data.status === 'failed';
}

function pascal(snake: string): string {
	return snake
		.split(/[_\-\s]+/)
		.filter(Boolean)
		.map((part) => part[0].toUpperCase() + part.slice(1))
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
export function hookTypeFromMpm(
	type: string,
	subtype: string | undefined,
	data?: Record<string, unknown>,
): string {
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
		// claude-mpm's server uses the Socket.IO event name (`claude_event`) as the subtype when
		// nothing else named the event: that names no hook.
		if (key === t.toLowerCase() || HOOK_TYPES.has(key)) return `mpm:${key}`;
		if (HOOK_NAME.test(s)) return s;
		if (/^[a-z][a-z0-9_]*$/.test(key)) return pascal(key);
	}
	return `mpm:${t || 'event'}.${s}`;
}

/**
 * The categories claude-mpm's server emits events under (server.py `_categorize_event`): the
 * Socket.IO event name and also the body's `type`. Its dashboard listens for these and for
 * `cli_event` and `build_event` (dashboard-svelte `stores/socket.svelte.ts`).
 */
export const MPM_CATEGORIES = [
	'claude_event',
	'hook_event',
	'tool_event',
	'session_event',
	'response_event',
	'agent_event',
	'file_event',
	'system_event',
	'cli_event',
	'build_event',
] as const;
export type MpmCategory = (typeof MPM_CATEGORIES)[number];
export type MpmNamespace = '/hook' | '/session' | '/agent' | '/todo' | '/system' | '/log';

/** server.py `_categorize_event`: the subtypes it names, exactly as it compares them (case and all). */
const CATEGORY_OF = new Map<string, MpmCategory>([
	...['subagent_start', 'subagent_stop', 'todo_updated'].map((s) => [s, 'hook_event'] as const),
	...['pre_tool', 'post_tool', 'tool.start', 'tool.end', 'tool_use', 'tool_result'].map(
		(s) => [s, 'tool_event'] as const,
	),
	...['session.started', 'session.ended', 'session_start', 'session_end', 'token_usage_updated'].map(
		(s) => [s, 'session_event'] as const,
	),
	...['response.start', 'response.end', 'response_started', 'response_ended'].map(
		(s) => [s, 'response_event'] as const,
	),
	...['agent.delegated', 'agent.returned', 'agent_start', 'agent_end'].map(
		(s) => [s, 'agent_event'] as const,
	),
	...['file.read', 'file.write', 'file.edit', 'file_read', 'file_write'].map(
		(s) => [s, 'file_event'] as const,
	),
	...['user_prompt', 'assistant_message'].map((s) => [s, 'claude_event'] as const),
	...['system_ready', 'system_shutdown'].map((s) => [s, 'system_event'] as const),
]);

/** The category claude-mpm's server gives an event by its subtype; anything it does not name is `claude_event`. */
export function mpmCategory(subtype: string): MpmCategory {
	return CATEGORY_OF.get(subtype) ?? 'claude_event';
}

/**
 * What claude-mpm's server emits for an event (server.py, `api_events_handler`), keys in its
 * order; `correlation_id` and `cwd` only when there is one.
 */
export interface MpmBody {
	type: MpmCategory;
	subtype: string;
	data: Record<string, unknown>;
	timestamp: string;
	session_id: string | null;
	source: string;
	correlation_id?: string;
	cwd?: string;
}

export interface MpmEmit {
	/** The Socket.IO event on `/`: the category, as the body's `type`. */
	event: MpmCategory;
	namespace: MpmNamespace;
	/** The event's name on its namespace; null when it is a name Socket.IO keeps for itself (then it is sent on `/` only). */
	namespaceEvent: string | null;
	body: MpmBody;
}

/**
 * Event names Socket.IO keeps for a connection's own life (socket.io's `RESERVED_EVENTS`): emitting
 * one throws, and a client would take it for its own connection's event. An event's type can make
 * one (`Disconnect` → `disconnect`, an envelope's subtype `newListener`).
 */
export const SOCKET_IO_RESERVED_EVENTS: ReadonlySet<string> = new Set([
	'connect',
	'connect_error',
	'disconnect',
	'disconnecting',
	'newListener',
	'removeListener',
]);

/** Events claude-mpm would show under `/system` rather than `/hook`. */
const SYSTEM_EVENTS = new Set([
	'Setup',
	'InstructionsLoaded',
	'ConfigChange',
	'CwdChanged',
	'DirectoryAdded',
	'FileChanged',
	'WorktreeCreate',
	'WorktreeRemove',
	'PreCompact',
	'PostCompact',
]);

const NAMESPACES = new Map<string, MpmNamespace>([
	['hook', '/hook'],
	['session', '/session'],
	['agent', '/agent'],
	['todo', '/todo'],
	['system', '/system'],
	['log', '/log'],
]);

/** Where a hook event goes in the seeds' category namespaces, and its snake_case subtype. */
interface Route {
	namespace: MpmNamespace;
	namespaceEvent: string;
	subtype: string;
}

function routeFor(hookType: string): Route {
	const hook = (namespace: MpmNamespace, subtype: string, namespaceEvent = subtype): Route => ({
		namespace,
		namespaceEvent,
		subtype,
	});
	switch (hookType) {
		case 'PreToolUse':
			return hook('/hook', 'pre_tool');
		case 'PostToolUse':
		case 'PostToolUseFailure':
			return hook('/hook', 'post_tool');
		case 'SubagentStart':
			return hook('/agent', 'subagent_start');
		case 'SubagentStop':
			return hook('/agent', 'subagent_stop');
		case 'TodoUpdated':
			return hook('/todo', 'todo_updated', 'updated');
		case 'SessionStart':
			return hook('/session', 'session_start', 'start');
		case 'SessionEnd':
			return hook('/session', 'session_end', 'end');
		case 'UserPromptSubmit':
			return hook('/hook', 'user_prompt');
		default: {
			if (hookType.startsWith('mpm:')) {
				const rest = hookType.slice(4);
				const dot = rest.indexOf('.');
				const type = dot === -1 ? rest : rest.slice(0, dot);
				const subtype = dot === -1 ? '' : rest.slice(dot + 1);
				return {
					namespace: NAMESPACES.get(type.toLowerCase()) ?? '/system',
					namespaceEvent: subtype || type,
					subtype: subtype || type,
				};
			}
			return hook(SYSTEM_EVENTS.has(hookType) ? '/system' : '/hook', snake(hookType));
		}
	}
}

function withoutMpm(payload: Obj): Obj {
	if (!Object.hasOwn(payload, '_mpm')) return payload;
	const {_mpm: _ignored, ...rest} = payload;
	return rest;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * The claude-mpm form of a record: category event, namespace and body, as claude-mpm's server
 * would emit the same event. `subtype`: the one a claude-mpm envelope came with (`payload._mpm`),
 * else the hook's snake_case name (`pre_tool`, `subagent_start`, `permission_request`);
 * `type` and the event: its category; `correlation_id`: the tool use id, else the envelope's own;
 * `timestamp`: the record's time (the source's); `source`: the envelope's, else the record's
 * (`hook` for Claude Code's hooks).
 *
 * claude-mpm's dashboard pairs pre_tool and post_tool by `correlation_id`, but finds the two
 * events again by `data.correlation_id` alone (its tools and agents stores), as claude-mpm's own
 * Python hook sends it: for those two subtypes the key is also put in `data` (a copy) when the
 * data has none of its own.
 */
export function toMpmEmit(record: EventRecord): MpmEmit {
	const route = routeFor(record.type);
	const original =
		typeof record.payload._mpm === 'object' &&
		record.payload._mpm !== null &&
		!Array.isArray(record.payload._mpm)
			? (record.payload._mpm as Obj)
			: undefined;
	const subtype = nonEmpty(original?.subtype) ? original.subtype : route.subtype;
	const type = mpmCategory(subtype);
	const source = nonEmpty(original?.source) ? original.source : original ? 'hook' : record.source;
	const body: MpmBody = {
		type,
		subtype,
		data: withoutMpm(record.payload),
		timestamp: record.time,
		session_id: record.session,
		source,
	};
	const correlation = record.toolUseId ?? original?.correlation_id;
	if (nonEmpty(correlation)) {
		body.correlation_id = correlation;
		if ((subtype === 'pre_tool' || subtype === 'post_tool') && !Object.hasOwn(body.data, 'correlation_id'))
			body.data = {...body.data, correlation_id: correlation};
	}
	if (nonEmpty(record.cwd)) body.cwd = record.cwd;
	const namespaceEvent = SOCKET_IO_RESERVED_EVENTS.has(route.namespaceEvent) ? null : route.namespaceEvent;
	return {event: type, namespace: route.namespace, namespaceEvent, body};
}

/**
 * A hook payload in the envelope claude-mpm's `claude-hook-fast.sh` POSTs to its server's
 * `/api/events`: `{namespace:"/", event:"claude_event", data:{type:"hook", subtype,
 * hook_event_name, tool_name, session_id, correlation_id, timestamp, source, data:<payload>}}`.
 * Unlike that script, the subtype is the snake_case one claude-mpm's dashboard looks for
 * (`subagent_start`, not `SubagentStart`) and the correlation id is the tool use id (so its
 * dashboard pairs pre_tool with post_tool), left out when there is none.
 */
export function toMpmHookEnvelope(payload: Obj, timestamp: string, source: string): Obj {
	const name = nonEmpty(payload.hook_event_name) ? payload.hook_event_name : 'unknown';
	const data: Obj = {
		type: 'hook',
		subtype: routeFor(name).subtype,
		hook_event_name: name,
		tool_name: nonEmpty(payload.tool_name) ? payload.tool_name : '',
		session_id: nonEmpty(payload.session_id) ? payload.session_id : '',
	};
	if (nonEmpty(payload.tool_use_id)) data.correlation_id = payload.tool_use_id;
	data.timestamp = timestamp;
	data.source = source;
	data.data = payload;
	return {namespace: '/', event: 'claude_event', data};
}
