/**
 * One tool call as the tools view (tools.ts) holds it: what its records said so far, the records
 * that tell it (for its detail), and the row a snapshot shows for it. Pure.
 */
import type {EventRecord} from '../record.js';
import {agentKeyOf, agentTypeOf, cwdOf, inputKey, sessionOf, type Json} from './fields.js';
import {toolTarget} from './target.js';
import type {AgentTypes} from './agent-types.js';
import type {InterruptCause, ToolCall, ToolStatus} from './tool-row.js';

export type Result = 'ok' | 'failed' | 'denied' | 'interrupted';

export interface Call {
	id: string;
	order: number;
	toolUseId: string | null;
	tool: string;
	input: Json | null;
	inputKey: string | null;
	target: string;
	session: string | null;
	cwd: string | null;
	agent: string;
	agentType: string | null;
	start: number;
	startKnown: boolean;
	end: number | null;
	result: Result | null;
	reportedMs: number | null;
	error: string | null;
	/** When its turn, subagent or session ended with no end for it (it counts as interrupted, until an end comes). */
	cutAt: number | null;
	/** Why it is interrupted: `user` for an interrupting end, else what cut it. */
	cause: InterruptCause | null;
	lastActivity: number;
	waited: boolean;
	background: boolean;
	evicted: boolean;
	/** Replaced, never changed in place, so every row of the call can share it (running calls are rebuilt each snapshot). */
	recordIds: readonly string[];
	/** The row of a finished call, reused by later snapshots until the call changes again. */
	cache: ToolCall | null;
}

export const MAX_RECORD_IDS = 16;

/** A call first told by `rec` at `t` (`order`: its place among the calls made, for ties). */
export function newCall(
	rec: EventRecord,
	t: number,
	order: number,
	toolUseId: string | null,
	tool: string,
	input: Json | null,
): Call {
	const cwd = cwdOf(rec);
	return {
		id: toolUseId ?? `rec:${rec.id}`,
		order,
		toolUseId,
		tool,
		input,
		inputKey: null,
		target: toolTarget(tool, input, cwd),
		session: sessionOf(rec),
		cwd,
		agent: agentKeyOf(rec),
		agentType: agentTypeOf(rec),
		start: t,
		startKnown: false,
		end: null,
		result: null,
		reportedMs: null,
		error: null,
		cutAt: null,
		cause: null,
		lastActivity: t,
		waited: false,
		background: input?.run_in_background === true,
		evicted: false,
		recordIds: [],
		cache: null,
	};
}

/** Remembers that `rec` belongs to the call (for its detail), and that the call changed. */
export function noteRecord(call: Call, rec: EventRecord): void {
	call.cache = null;
	if (
		typeof rec.id === 'string' &&
		rec.id !== '' &&
		call.recordIds.length < MAX_RECORD_IDS &&
		!call.recordIds.includes(rec.id)
	)
		call.recordIds = [...call.recordIds, rec.id];
}

/** A later record of the call: noted, and what the call still lacks (tool, input, cwd, target) taken from it. */
export function fillCall(call: Call, rec: EventRecord, tool: string | null, input: Json | null): void {
	noteRecord(call, rec);
	if (call.tool === '' && tool !== null) call.tool = tool;
	if (call.input === null && input !== null) {
		call.input = input;
		call.background = input.run_in_background === true;
	}
	if (call.cwd === null) call.cwd = cwdOf(rec);
	if (call.target === '') call.target = toolTarget(call.tool, call.input, call.cwd);
}

/** The call's input as a key (computed once). */
export function inputKeyOf(call: Call): string {
	if (call.inputKey === null) call.inputKey = inputKey(call.input);
	return call.inputKey;
}

/** The call's row at `now`: a call with no end is running until `timeoutMs` without activity, then lost. */
export function callRow(c: Call, now: number, timeoutMs: number, agentTypes: AgentTypes | null): ToolCall {
	let status: ToolStatus;
	let durationMs: number | null;
	if (c.result !== null) {
		status = c.result;
		durationMs = c.reportedMs ?? (c.startKnown && c.end !== null ? Math.max(0, c.end - c.start) : null);
	} else if (c.cutAt !== null) {
		// When it stopped is not known: only that it was before the cut.
		status = 'interrupted';
		durationMs = null;
	} else if (now - c.lastActivity > timeoutMs) {
		status = 'lost';
		durationMs = null;
	} else {
		status = 'running';
		durationMs = Math.max(0, now - c.start);
	}
	return {
		id: c.id,
		toolUseId: c.toolUseId,
		tool: c.tool,
		target: c.target,
		input: c.input,
		status,
		start: c.start,
		end: c.result !== null ? c.end : c.cutAt,
		durationMs,
		agent: c.agent,
		agentType: c.agentType ?? agentTypes?.typeOf(c.agent) ?? null,
		session: c.session,
		cwd: c.cwd,
		error: c.error,
		interruptedBy: status === 'interrupted' ? c.cause : null,
		waitedForPermission: c.waited,
		background: c.background,
		recordIds: c.recordIds,
	};
}
