/** The tool-call row the views hand out, and sorting for the Tools tab. */
import type {Json} from './fields.js';

export type ToolStatus = 'running' | 'ok' | 'failed' | 'interrupted' | 'orphaned';
export type OrphanReason = 'timeout' | 'session-end' | 'stop' | 'agent-stop';

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
	orphanReason: OrphanReason | null;
	waitedForPermission: boolean;
	background: boolean;
}

/** Sorts a snapshot by start time (newest first) or by duration (longest first, unknown last). */
export function sortToolCalls(rows: readonly ToolCall[], by: 'time' | 'duration'): ToolCall[] {
	const copy = [...rows];
	if (by === 'time') return copy.sort((a, b) => b.start - a.start);
	return copy.sort((a, b) => (b.durationMs ?? -1) - (a.durationMs ?? -1) || b.start - a.start);
}
