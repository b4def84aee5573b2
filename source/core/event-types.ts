/**
 * Event type names and their labels: the hook events Claude Code sends (named as it sends them),
 * the names the claude-mpm mapping gives (claude-mpm.ts), Claude Code's telemetry events and the
 * usage records, and the short label of each name too
 * long for a narrow type column. One table for both ends: the Events type column shows these
 * labels, and the filter's `type:` reads every label back as the name it stands for. Maps, never
 * object lookups: a `type:` value is input (`constructor` must find nothing). Pure.
 */

/**
 * The hook events Claude Code sends (docs/hooks.md), then the types the claude-mpm mapping
 * names. Other types are legal too (a newer Claude Code's hooks, `mpm:<type>.<subtype>`): they
 * are shown as they come.
 */
/** The hook events Claude Code documents (../shared/docs/claude-code-hooks.md), as it names them. */
export const DOCUMENTED_HOOK_EVENTS: readonly string[] = [
	'SessionStart',
	'SessionEnd',
	'Setup',
	'UserPromptSubmit',
	'UserPromptExpansion',
	'PreToolUse',
	'PermissionRequest',
	'PermissionDenied',
	'PostToolUse',
	'PostToolUseFailure',
	'PostToolBatch',
	'Notification',
	'SubagentStart',
	'SubagentStop',
	'Stop',
	'StopFailure',
	'PreCompact',
	'PostCompact',
	'TaskCreated',
	'TaskCompleted',
	'InstructionsLoaded',
	'MessageDisplay',
	'TeammateIdle',
	'ConfigChange',
	'CwdChanged',
	'DirectoryAdded',
	'FileChanged',
	'WorktreeCreate',
	'WorktreeRemove',
	'Elicitation',
	'ElicitationResult',
];

export const KNOWN_TYPES: readonly string[] = [
	...DOCUMENTED_HOOK_EVENTS,
	'TodoUpdated',
	'HookExecution',
	'AssistantResponse',
	// Claude Code's telemetry (OTLP log events, core/otel-logs.ts) and the usage records (docs/protocol.md).
	'claude_code.user_prompt',
	'claude_code.assistant_response',
	'claude_code.tool_result',
	'claude_code.api_request',
	'claude_code.api_error',
	'claude_code.tool_decision',
	'claude_code.hook_execution_start',
	'claude_code.hook_execution_complete',
	'claude_code.compaction',
	'claude_code.subagent_completed',
	'otel.metrics',
	'transcript.usage',
];

/** The narrowest type column, in cells: every short label fits in it. */
export const SHORT_LABEL_MAX = 12;

/** The short label of each name longer than SHORT_LABEL_MAX, shown where the full name does not fit. */
export const SHORT_LABELS: ReadonlyMap<string, string> = new Map([
	['UserPromptSubmit', 'PromptSubmit'],
	['UserPromptExpansion', 'PromptExpand'],
	['PermissionRequest', 'PermRequest'],
	['PermissionDenied', 'PermDenied'],
	['PostToolUseFailure', 'PostToolFail'],
	['PostToolBatch', 'PostBatch'],
	['SubagentStart', 'AgentStart'],
	['TaskCompleted', 'TaskComplete'],
	['InstructionsLoaded', 'InstrLoaded'],
	['MessageDisplay', 'MsgDisplay'],
	['DirectoryAdded', 'DirAdded'],
	['WorktreeCreate', 'WtreeCreate'],
	['WorktreeRemove', 'WtreeRemove'],
	['ElicitationResult', 'ElicitResult'],
	['HookExecution', 'HookExec'],
	['AssistantResponse', 'AsstResponse'],
	['claude_code.user_prompt', 'otel:prompt'],
	['claude_code.assistant_response', 'otel:reply'],
	['claude_code.tool_result', 'otel:tool'],
	['claude_code.api_request', 'otel:api'],
	['claude_code.api_error', 'otel:apierr'],
	['claude_code.tool_decision', 'otel:decide'],
	['claude_code.hook_execution_start', 'otel:hookrun'],
	['claude_code.hook_execution_complete', 'otel:hookend'],
	['claude_code.compaction', 'otel:compact'],
	['claude_code.subagent_completed', 'otel:agent'],
	['transcript.usage', 'tx:usage'],
]);

/** Every known name and every short label, lower-cased, to the name it stands for. */
const BY_LABEL: ReadonlyMap<string, string> = new Map([
	...KNOWN_TYPES.map((name) => [name.toLowerCase(), name] as const),
	...[...SHORT_LABELS].map(([name, label]) => [label.toLowerCase(), name] as const),
]);

/** True for a known type name, exactly as sent. */
export function isKnownType(type: string): boolean {
	return BY_LABEL.get(type.toLowerCase()) === type;
}

/** The known name a label stands for (a known name in any case, or a short label), else null. */
export function typeForLabel(label: string): string | null {
	return BY_LABEL.get(label.toLowerCase()) ?? null;
}

/** What the type column may show for `type`, widest first: the name, then its short label if it has one. */
export function typeLabels(type: string): readonly string[] {
	const short = SHORT_LABELS.get(type);
	return short === undefined ? [type] : [type, short];
}

/** Every name and short label a `type:` value may be (for suggestions). */
export function allTypeLabels(): readonly string[] {
	return [...KNOWN_TYPES, ...SHORT_LABELS.values()];
}
