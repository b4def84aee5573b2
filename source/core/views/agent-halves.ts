/**
 * The two halves of a subagent as the agents view (agents.ts) holds them: the spawn (its parent's
 * `Agent`/`Task` call, ended by PostToolUse(Agent) and its `tool_response`) and the run
 * (SubagentStart → its tool events → SubagentStop), and the row the two make. Pure.
 */
import type {EventRecord} from '../record.js';
import {errorKindOf, isUserInterrupt} from '../errors.js';
import {agentKeyOf, num, obj, oneLine, sessionOf, str, toolInputOf} from './fields.js';
import type {AgentEntry, AgentInterruptCause, AgentStatus} from './agent-entry.js';

export interface Spawn {
	toolUseId: string;
	order: number;
	session: string | null;
	parent: string;
	description: string;
	prompt: string | null;
	subagentType: string | null;
	background: boolean;
	start: number;
	end: number | null;
	endStatus: 'ok' | 'failed' | 'denied' | 'interrupted' | null;
	async: boolean;
	reportedMs: number | null;
	tokens: number | null;
	reportedTools: number | null;
	orphanedAt: number | null;
	orphanReason: AgentInterruptCause | null;
	run: Run | null;
}

export interface Run {
	agentId: string;
	order: number;
	session: string | null;
	agentType: string | null;
	/** claude-mpm's subagent_start carries a description of its own. */
	description: string | null;
	start: number;
	startKnown: boolean;
	stoppedAt: number | null;
	lastMessage: string | null;
	toolIds: Set<string>;
	toolCount: number;
	lastActivity: number;
	orphanedAt: number | null;
	orphanReason: AgentInterruptCause | null;
	spawn: Spawn | null;
}

/** The spawn `id` first told by `rec`, started at `t`. */
export function newSpawn(rec: EventRecord, id: string, t: number, order: number): Spawn {
	return {
		toolUseId: id,
		order,
		session: sessionOf(rec),
		parent: agentKeyOf(rec),
		description: '',
		prompt: null,
		subagentType: null,
		background: false,
		start: t,
		end: null,
		endStatus: null,
		async: false,
		reportedMs: null,
		tokens: null,
		reportedTools: null,
		orphanedAt: null,
		orphanReason: null,
		run: null,
	};
}

/** A run first seen at `t` (its start is known only from SubagentStart). */
export function newRun(
	agentId: string,
	order: number,
	session: string | null,
	type: string | null,
	t: number,
): Run {
	return {
		agentId,
		order,
		session,
		agentType: type,
		description: null,
		start: t,
		startKnown: false,
		stoppedAt: null,
		lastMessage: null,
		toolIds: new Set(),
		toolCount: 0,
		lastActivity: t,
		orphanedAt: null,
		orphanReason: null,
		spawn: null,
	};
}

/** A run known only because its spawn's PostToolUse named it: as its spawn tells it. */
export function runOfSpawn(agentId: string, order: number, spawn: Spawn): Run {
	return {
		agentId,
		order,
		session: spawn.session,
		agentType: spawn.subagentType,
		description: null,
		start: spawn.start,
		startKnown: false,
		stoppedAt: null,
		lastMessage: null,
		toolIds: new Set(),
		toolCount: 0,
		lastActivity: spawn.end ?? spawn.start,
		orphanedAt: null,
		orphanReason: null,
		spawn: null,
	};
}

/** What the Agent call's input says of the spawn (description, prompt, type, background). */
export function fillSpawn(spawn: Spawn, rec: EventRecord): void {
	const input = toolInputOf(rec);
	if (input === null) return;
	if (spawn.description === '') spawn.description = oneLine(str(input.description) ?? '', 200);
	spawn.prompt ??= str(input.prompt);
	spawn.subagentType ??= str(input.subagent_type);
	if (input.run_in_background === true) spawn.background = true;
}

/**
 * The spawn's end (PostToolUse, PostToolUseFailure or PermissionDenied of the Agent call) at `t`:
 * its status and what `tool_response` reports. Returns the `agentId` it names, or null.
 */
export function endSpawn(spawn: Spawn, rec: EventRecord, t: number): string | null {
	spawn.end = t;
	spawn.orphanedAt = null;
	const response = obj(rec.payload.tool_response);
	if (rec.type === 'PostToolUseFailure') {
		spawn.endStatus = isUserInterrupt(rec) ? 'interrupted' : 'failed';
	} else if (rec.type === 'PermissionDenied') {
		spawn.endStatus = 'denied';
	} else if (errorKindOf(rec) !== null) {
		spawn.endStatus = 'failed';
	} else {
		spawn.endStatus = 'ok';
		spawn.async = str(response?.status) === 'async_launched';
	}
	spawn.reportedMs = num(response?.totalDurationMs);
	spawn.tokens = num(response?.totalTokens);
	spawn.reportedTools = num(response?.totalToolUseCount);
	return str(response?.agentId);
}

/** The row of a run and its spawn (either may be missing) at `now`; no event for `timeoutMs` is lost. */
export function agentRow(r: Run | null, s: Spawn | null, now: number, timeoutMs: number): AgentEntry {
	const start = Math.min(
		s?.start ?? Infinity,
		r !== null && (r.startKnown || s === null) ? r.start : Infinity,
	);
	let status: AgentStatus;
	let end: number | null = null;
	let interruptedBy: AgentInterruptCause | null = null;
	const orphanedAt = r?.orphanedAt ?? s?.orphanedAt ?? null;
	const lastActivity = Math.max(r?.lastActivity ?? -Infinity, s?.end ?? s?.start ?? -Infinity);
	if (s?.endStatus === 'failed' || s?.endStatus === 'denied' || s?.endStatus === 'interrupted') {
		status = s.endStatus;
		if (status === 'interrupted') interruptedBy = 'user';
		end = s.end;
	} else if (r?.stoppedAt != null) {
		status = 'done';
		end = r.stoppedAt;
	} else if (s?.endStatus === 'ok' && !s.async) {
		status = 'done';
		end = s.end;
	} else if (orphanedAt !== null) {
		status = 'interrupted';
		end = orphanedAt;
		interruptedBy = r?.orphanReason ?? s?.orphanReason ?? null;
	} else if (now - lastActivity > timeoutMs) {
		status = 'lost';
	} else {
		status = 'running';
	}
	const reported = s?.reportedMs ?? null;
	const durationMs =
		status === 'running'
			? Math.max(0, now - start)
			: reported !== null && status === 'done'
				? reported
				: end !== null
					? Math.max(0, end - start)
					: null;
	return {
		key: r !== null ? r.agentId : `call:${s!.toolUseId}`,
		id: r?.agentId ?? null,
		type: r?.agentType ?? s?.subagentType ?? 'unknown',
		description: s?.description || r?.description || '',
		prompt: s?.prompt ?? null,
		status,
		interruptedBy,
		start,
		end,
		durationMs,
		toolCount: s?.reportedTools ?? r?.toolCount ?? 0,
		tokens: s?.tokens ?? null,
		lastMessage: r?.lastMessage ?? null,
		session: r?.session ?? s?.session ?? null,
		toolUseId: s?.toolUseId ?? null,
		toolCallIds: r !== null ? [...r.toolIds] : [],
		background: s !== null && (s.background || s.async),
		parent: s?.parent ?? 'main',
	};
}
