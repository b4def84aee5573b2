/**
 * Colours by kind of event: errors (core/errors.ts) red, prompts cyan, subagents magenta,
 * waiting-for-the-user and user interrupts yellow, lifecycle blue, tool ends green.
 */
import type {EventRecord} from '../../../core/record.js';
import {isErrorEvent, isUserInterrupt} from '../../../core/errors.js';

export type Kind =
	'error' | 'prompt' | 'subagent' | 'attention' | 'lifecycle' | 'toolStart' | 'toolEnd' | 'other';

export function kindOf(record: EventRecord): Kind {
	if (isErrorEvent(record)) return 'error';
	// A call the user stopped: yellow, as its ⊘ on the Tools tab.
	if (isUserInterrupt(record)) return 'attention';
	switch (record.type) {
		case 'UserPromptSubmit':
			return 'prompt';
		case 'SubagentStart':
		case 'SubagentStop':
			return 'subagent';
		case 'PermissionRequest':
		case 'Notification':
		case 'Elicitation':
			return 'attention';
		case 'SessionStart':
		case 'SessionEnd':
		case 'Stop':
		case 'PreCompact':
		case 'PostCompact':
			return 'lifecycle';
		default:
			break;
	}
	if (record.agentId) return 'subagent';
	if (record.type === 'PreToolUse') return 'toolStart';
	if (record.type === 'PostToolUse' || record.type === 'PostToolBatch') return 'toolEnd';
	return 'other';
}

export const kindColor: Record<Kind, string | undefined> = {
	error: 'red',
	prompt: 'cyan',
	subagent: 'magenta',
	attention: 'yellow',
	lifecycle: 'blue',
	toolStart: undefined,
	toolEnd: 'green',
	other: 'gray',
};
