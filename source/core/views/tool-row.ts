/** The tool-call row the views hand out, its status words, and sorting for the Tools tab. */
import type {Json} from './fields.js';

/**
 * running: no end yet · ok: ended well · failed: PostToolUseFailure (or a PostToolUse that says
 * it failed) · denied: PermissionDenied · interrupted: the user stopped it, or it had no end when
 * its turn, subagent or session ended (a cancelled tool fires no Post) · lost: no end and no
 * activity for the timeout.
 */
export type ToolStatus = 'running' | 'ok' | 'failed' | 'denied' | 'interrupted' | 'lost';

/**
 * Why a call is interrupted: `user` — a PostToolUseFailure with `is_interrupt`; else what ended
 * around it with no end for it: its turn (`stop`: the Stop; `prompt`: the next prompt, since an
 * interrupted turn fires no Stop), its subagent (`agent-stop`) or its session (`session-end`).
 * (`stop` covers StopFailure too: the turn ended on an API error.)
 */
export type InterruptCause = 'user' | 'stop' | 'prompt' | 'agent-stop' | 'session-end';

export interface ToolCall {
	/** `tool_use_id`, or `rec:<record id>` for a call reported without one (claude-mpm). */
	id: string;
	toolUseId: string | null;
	tool: string;
	target: string;
	input: Json | null;
	status: ToolStatus;
	/** Epoch ms the call started (the PreToolUse time; estimated from an early Post's duration). */
	start: number;
	end: number | null;
	/** `duration_ms` when given, else end − start; running calls: elapsed until `now`; null when unknown. */
	durationMs: number | null;
	/** The subagent's `agent_id` that ran it, or `main`. */
	agent: string;
	agentType: string | null;
	session: string | null;
	cwd: string | null;
	error: string | null;
	/** Set when `status` is `interrupted`. */
	interruptedBy: InterruptCause | null;
	waitedForPermission: boolean;
	/** Started in the background: `run_in_background`, or an Agent call that came back `async_launched`. */
	background: boolean;
	/**
	 * Ids of the records that made this call, in the order they were applied: its PreToolUse, the
	 * PermissionRequest it waited for (which names no `tool_use_id`), its end (at most 16).
	 */
	recordIds: readonly string[];
}

/** The word the Tools tab shows for a call's status (`launched` for a background call that started well). */
export function toolStatusWord(row: Pick<ToolCall, 'status' | 'background'>): string {
	return row.status === 'ok' && row.background ? 'launched' : row.status;
}

const INTERRUPT_TEXT = new Map<InterruptCause, string>([
	['user', 'stopped by the user'],
	['stop', 'no end when its turn ended'],
	['prompt', 'no end before the next prompt'],
	['agent-stop', 'no end before its subagent stopped'],
	['session-end', 'no end before the session ended'],
]);

/** Why a call is interrupted, in words (empty for other statuses). */
export function interruptText(cause: InterruptCause | null): string {
	return cause === null ? '' : (INTERRUPT_TEXT.get(cause) ?? '');
}

/** Sorts a snapshot by start time (newest first) or by duration (longest first, unknown last). */
export function sortToolCalls(rows: readonly ToolCall[], by: 'time' | 'duration'): ToolCall[] {
	const copy = [...rows];
	if (by === 'time') return copy.sort((a, b) => b.start - a.start);
	return copy.sort((a, b) => (b.durationMs ?? -1) - (a.durationMs ?? -1) || b.start - a.start);
}
