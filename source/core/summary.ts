/**
 * One display line per event: `Bash  npm test`, `Read  source/app.tsx`,
 * `prompt  "fix the failing test"`. Always one line, no control characters, at most 200
 * characters. Pure.
 */
import {otelSummary} from './otel-summary.js';
import {SUMMARY_MAX, flatten, oneLine, quoted, relativePath, toolLabel} from './text.js';

type Obj = Record<string, unknown>;

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function obj(value: unknown): Obj | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

/** The tool's input: Claude Code's `tool_input`, or claude-mpm's `tool_parameters`/`parameters`. */
export function toolInput(payload: Obj): Obj {
	return obj(payload.tool_input) ?? obj(payload.tool_parameters) ?? obj(payload.parameters) ?? {};
}

const COMMON_FIELDS = new Set([
	'session_id',
	'sessionId',
	'transcript_path',
	'cwd',
	'hook_event_name',
	'permission_mode',
	'prompt_id',
	'agent_id',
	'agent_type',
	'agent_transcript_path',
	'tool_use_id',
	'timestamp',
	'working_directory',
	'_mpm',
	'source',
	'type',
	'subtype',
]);

/** The first non-empty string among the payload's own (non-common) fields. */
function firstUsefulString(payload: Obj, skip: Set<string> = COMMON_FIELDS): string | undefined {
	for (const key of Object.keys(payload)) {
		if (skip.has(key)) continue;
		const value = str(payload[key]);
		if (value !== undefined) return value;
	}
	return undefined;
}

function countTodos(todos: unknown): string | undefined {
	if (!Array.isArray(todos)) return undefined;
	let active = 0;
	let done = 0;
	for (const todo of todos) {
		const status = obj(todo)?.status;
		if (status === 'in_progress') active++;
		else if (status === 'completed') done++;
	}
	const parts: string[] = [];
	if (active > 0) parts.push(`${active} in progress`);
	if (done > 0) parts.push(`${done} done`);
	const noun = todos.length === 1 ? 'todo' : 'todos';
	return `${todos.length} ${noun}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** What a tool call is about: the command, the file, the pattern… */
export function toolDetail(tool: string, input: Obj, cwd: string | undefined): string {
	const path = (value: unknown) => {
		const p = str(value);
		return p === undefined ? undefined : relativePath(p, cwd);
	};
	switch (tool) {
		case 'Bash':
			return str(input.command) ?? str(input.description) ?? '';
		case 'Read':
		case 'Write':
		case 'Edit':
		case 'MultiEdit':
		case 'NotebookEdit':
		case 'NotebookRead':
			return path(input.file_path) ?? path(input.notebook_path) ?? path(input.path) ?? '';
		case 'Grep': {
			const pattern = str(input.pattern);
			const where = path(input.path) ?? str(input.glob);
			if (pattern === undefined) return where ?? '';
			return where === undefined ? quoted(pattern, 80) : `${quoted(pattern, 80)} in ${where}`;
		}
		case 'Glob': {
			const pattern = str(input.pattern) ?? '';
			const where = path(input.path);
			return where === undefined ? pattern : `${pattern} in ${where}`;
		}
		case 'LS':
			return path(input.path) ?? '';
		case 'WebFetch':
			return str(input.url) ?? '';
		case 'WebSearch':
			return str(input.query) === undefined ? '' : quoted(input.query as string, 120);
		case 'Agent':
		case 'Task': {
			const kind = str(input.subagent_type);
			const what = str(input.description) ?? str(input.prompt);
			if (kind && what) return `${kind}: ${what}`;
			return kind ?? what ?? '';
		}
		case 'TodoWrite':
			return countTodos(input.todos) ?? '';
		case 'Skill':
			return str(input.skill) ?? str(input.command) ?? '';
		case 'SlashCommand':
			return str(input.command) ?? '';
		case 'BashOutput':
		case 'KillShell':
		case 'KillBash':
			return str(input.bash_id) ?? str(input.shell_id) ?? '';
		case 'ExitPlanMode':
			return str(input.plan) ?? '';
		case 'AskUserQuestion': {
			const first = Array.isArray(input.questions) ? obj(input.questions[0]) : undefined;
			return str(first?.question) ?? str(input.question) ?? '';
		}
		default:
			return (
				path(input.file_path) ??
				path(input.path) ??
				str(input.command) ??
				str(input.url) ??
				str(input.query) ??
				str(input.pattern) ??
				firstUsefulString(input, new Set()) ??
				''
			);
	}
}

/** `Bash  npm test`, or just `Bash` when there is nothing to add. */
function toolCall(payload: Obj): string {
	const tool = str(payload.tool_name) ?? str(payload.tool) ?? 'tool';
	const detail = toolDetail(tool, toolInput(payload), str(payload.cwd) ?? str(payload.working_directory));
	return join(toolLabel(tool), detail);
}

function join(head: string, detail: string | undefined): string {
	const tail = detail === undefined ? '' : flatten(detail);
	return tail === '' ? head : `${head}  ${tail}`;
}

function errorText(value: unknown): string | undefined {
	if (typeof value === 'string') return str(value);
	const o = obj(value);
	if (o) return str(o.message) ?? str(o.error) ?? str(o.type);
	return undefined;
}

function failure(payload: Obj): string {
	const call = toolCall(payload);
	if (payload.is_interrupt === true) return `interrupted  ${call}`;
	const response = obj(payload.tool_response);
	const error = errorText(payload.error) ?? errorText(response?.error) ?? str(response?.stderr);
	return error === undefined ? `failed  ${call}` : `failed  ${call}: ${error}`;
}

function batch(payload: Obj): string {
	const calls = Array.isArray(payload.tool_calls) ? payload.tool_calls : [];
	const names = calls.map((call) => toolLabel(str(obj(call)?.tool_name) ?? '?'));
	return `batch  ${calls.length} ${calls.length === 1 ? 'tool' : 'tools'}${names.length > 0 ? `: ${names.join(', ')}` : ''}`;
}

function paren(value: unknown): string | undefined {
	const s = str(value);
	return s === undefined ? undefined : `(${s})`;
}

function message(payload: Obj): string | undefined {
	const text =
		str(payload.last_assistant_message) ??
		str(payload.message) ??
		str(payload.response) ??
		str(payload.content);
	return text === undefined ? undefined : quoted(text);
}

function describe(type: string, payload: Obj): string {
	switch (type) {
		case 'PreToolUse':
		case 'PostToolUse':
			return toolCall(payload);
		case 'PostToolUseFailure':
			return failure(payload);
		case 'PostToolBatch':
			return batch(payload);
		case 'PermissionRequest':
			return `permission?  ${toolCall(payload)}`;
		case 'PermissionDenied': {
			const reason = str(payload.reason);
			return `denied  ${toolCall(payload)}${reason === undefined ? '' : `: ${reason}`}`;
		}
		case 'UserPromptSubmit': {
			const prompt = str(payload.prompt) ?? str(payload.prompt_text);
			return prompt === undefined ? 'prompt' : `prompt  ${quoted(prompt, 180)}`;
		}
		case 'SessionStart':
			return join('session start', paren(payload.source) ?? paren(payload.launch_method));
		case 'SessionEnd':
			return join('session end', paren(payload.reason));
		case 'Stop':
			return join('stop', message(payload) ?? paren(payload.reason));
		case 'StopFailure':
			return join('stop failed', errorText(payload.error));
		case 'SubagentStart':
			return join('subagent start', str(payload.agent_type) ?? str(payload.agent_id));
		case 'SubagentStop': {
			const who = str(payload.agent_type) ?? str(payload.agent_id) ?? '';
			const said = message(payload);
			return join('subagent stop', who && said ? `${who}: ${said}` : who || said);
		}
		case 'Notification':
			return join('notify', str(payload.message) ?? str(payload.title) ?? str(payload.notification_type));
		case 'PreCompact':
			return join('compact', str(payload.trigger));
		case 'PostCompact':
			return join('compacted', str(payload.trigger));
		case 'TaskCreated':
			return join('task created', str(payload.task_subject) ?? str(payload.task_id));
		case 'TaskCompleted':
			return join('task done', str(payload.task_subject) ?? str(payload.task_id));
		case 'TodoUpdated':
			return join('todos', countTodos(payload.todos));
		case 'AssistantResponse':
			return join('response', message(payload));
		case 'HookExecution':
			return join('hook', str(payload.hook_name) ?? str(payload.hook_type) ?? firstUsefulString(payload));
		case 'CwdChanged':
			return join('cwd', str(payload.new_cwd) ?? str(payload.cwd));
		default: {
			// Claude Code's telemetry (`claude_code.*`, `otel.metrics`): model, tokens, $, duration.
			const otel = otelSummary(type, payload);
			if (otel !== undefined) return otel;
			const first = firstUsefulString(payload);
			return join(type, first === undefined ? undefined : relativePath(first, str(payload.cwd)));
		}
	}
}

/** Exactly one line, no control characters, at most 200 characters (cut with `…`). */
export function summarize(type: string, payload: Record<string, unknown>): string {
	const name = flatten(type) || 'event';
	return oneLine(describe(name, payload), SUMMARY_MAX);
}
