/**
 * A tool call (`tool_use_id`) as the usage join (usage-view.ts) holds it: the hook's PreToolUse /
 * PostToolUse(Failure) times beside telemetry's tool_result (`duration_ms`, `success`) and
 * tool_decision, and the row a snapshot shows for it. Pure.
 */
import type {EventRecord} from '../record.js';
import {boolOf, countOf, idOf, own, promptIdOf} from './usage-fields.js';
import type {ToolUsage} from './usage-types.js';

export interface ToolState {
	toolUseId: string;
	session: string;
	tool: string | null;
	agentId: string | null;
	promptId: string | null;
	first: number;
	start: number | null;
	end: number | null;
	failed: boolean;
	hookMs: number | null;
	durationMs: number | null;
	success: boolean | null;
	error: string | null;
	decision: string | null;
	decisionSource: string | null;
	toolDecision: boolean;
}

export function newToolState(toolUseId: string, session: string, t: number): ToolState {
	return {
		toolUseId,
		session,
		tool: null,
		agentId: null,
		promptId: null,
		first: t,
		start: null,
		end: null,
		failed: false,
		hookMs: null,
		durationMs: null,
		success: null,
		error: null,
		decision: null,
		decisionSource: null,
		toolDecision: false,
	};
}

/** What one record (PreToolUse, PostToolUse(Failure), tool_result, tool_decision) says of the call. */
export function applyToolRecord(tool: ToolState, rec: EventRecord, t: number): void {
	if (t < tool.first) tool.first = t;
	const p = rec.payload;
	tool.tool ??= idOf(rec.tool) ?? idOf(own(p, 'tool_name'));
	tool.agentId ??= idOf(rec.agentId) ?? idOf(own(p, 'agent_id'));
	tool.promptId ??= promptIdOf(rec);
	switch (rec.type) {
		case 'PreToolUse':
			if (tool.start === null || t < tool.start) tool.start = t;
			break;
		case 'PostToolUse':
		case 'PostToolUseFailure':
			tool.end = t;
			tool.failed = rec.type === 'PostToolUseFailure';
			tool.hookMs = countOf(own(p, 'duration_ms'));
			break;
		case 'claude_code.tool_result': {
			tool.durationMs = countOf(own(p, 'duration_ms'));
			tool.success = boolOf(own(p, 'success'));
			tool.error = idOf(own(p, 'error_type')) ?? idOf(own(p, 'error'));
			if (!tool.toolDecision) {
				tool.decision = idOf(own(p, 'decision_type')) ?? idOf(own(p, 'decision')) ?? tool.decision;
				tool.decisionSource = idOf(own(p, 'decision_source')) ?? tool.decisionSource;
			}
			break;
		}
		case 'claude_code.tool_decision':
			tool.toolDecision = true;
			tool.decision = idOf(own(p, 'decision')) ?? tool.decision;
			tool.decisionSource = idOf(own(p, 'source')) ?? idOf(own(p, 'decision_source')) ?? tool.decisionSource;
			break;
	}
}

function iso(t: number | null): string | null {
	return t === null ? null : new Date(t).toISOString();
}

/** The call's row; `prompt` is the key of the prompt it is attributed to (`` for none). */
export function toolRow(tool: ToolState, prompt: string): ToolUsage {
	let hookMs = tool.hookMs;
	if (hookMs === null && tool.start !== null && tool.end !== null)
		hookMs = Math.max(0, tool.end - tool.start);
	return {
		toolUseId: tool.toolUseId,
		tool: tool.tool,
		agentId: tool.agentId,
		prompt: prompt === '' ? null : prompt,
		start: iso(tool.start),
		end: iso(tool.end),
		hookMs,
		hookStatus: tool.end !== null ? (tool.failed ? 'failed' : 'ok') : tool.start !== null ? 'running' : null,
		durationMs: tool.durationMs,
		success: tool.success,
		error: tool.error,
		decision: tool.decision,
		decisionSource: tool.decisionSource,
	};
}
