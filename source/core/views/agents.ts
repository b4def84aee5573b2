/**
 * Subagents view. A subagent shows up as two halves that nothing ties together directly:
 * - the spawn: the `Agent` tool call (`Task` before Claude Code 2.1.63) of its parent, with
 *   description, prompt and `subagent_type`, ended by PostToolUse(Agent) whose `tool_response`
 *   carries `agentId`, `status`, `totalDurationMs`, `totalTokens`, `totalToolUseCount`;
 * - the run: SubagentStart(agent_id, agent_type) → tool events carrying `agent_id` →
 *   SubagentStop(agent_id, last_assistant_message).
 * A run is joined to the oldest waiting spawn of its session with the same agent type (then one
 * with no type, then — when the run's type is empty — any). When PostToolUse(Agent) names its
 * `agentId`, that join wins: a wrong guess is swapped back.
 *
 * Since Claude Code 2.1.198 subagents run in the background by default: PostToolUse(Agent) comes
 * back at once with `status: "async_launched"`, and the agent's life is SubagentStart →
 * SubagentStop on its `agent_id`, which may go on after the parent's Stop.
 *
 * Status: failed (the spawn ended in an error: core/errors.ts), denied (PermissionDenied on the
 * spawn), interrupted (the user stopped the spawn — `is_interrupt` —, or it had no end when it
 * could no longer run: its session ended, or, for a foreground agent, its parent's turn ended with
 * Stop, StopFailure or the next prompt), done (SubagentStop, or the spawn ended without
 * `async_launched`), lost (no event for `timeoutMs` before `now`), else running.
 */
import type {EventRecord} from '../record.js';
import {errorKindOf, isUserInterrupt} from '../errors.js';
import {trimMap} from './bounded.js';
import {
	agentIdOf,
	agentKeyOf,
	agentTypeOf,
	num,
	obj,
	oneLine,
	sessionOf,
	str,
	toolInputOf,
	toolNameOf,
	toolUseIdOf,
} from './fields.js';

export type AgentStatus = 'running' | 'done' | 'failed' | 'denied' | 'interrupted' | 'lost';
/** Why an agent is interrupted: the user stopped its spawn, its parent's turn ended (Stop, the next prompt), or its session ended. */
export type AgentInterruptCause = 'user' | 'stop' | 'prompt' | 'session-end';

export interface AgentEntry {
	/** Stable row key: the agent id, else `call:<tool_use_id>` while the run is not known yet. */
	key: string;
	/** The subagent's `agent_id`, when known. */
	id: string | null;
	type: string;
	description: string;
	prompt: string | null;
	status: AgentStatus;
	/** Set when `status` is `interrupted`. */
	interruptedBy: AgentInterruptCause | null;
	start: number;
	end: number | null;
	/** `totalDurationMs` when reported, else end − start; running: elapsed until `now`. */
	durationMs: number | null;
	toolCount: number;
	tokens: number | null;
	lastMessage: string | null;
	session: string | null;
	/** The `tool_use_id` of the Agent call that spawned it. */
	toolUseId: string | null;
	/** Ids of the tool calls it ran, oldest first (the most recent 2,000 at most). */
	toolCallIds: string[];
	background: boolean;
	/** Who spawned it: `main` or a parent agent id. */
	parent: string;
}

export interface AgentsOptions {
	timeoutMs?: number;
	maxAgents?: number;
}

interface Spawn {
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

interface Run {
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

const MAX_TOOL_IDS = 2000;
const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionDenied']);

export function isAgentTool(tool: string | null): boolean {
	return tool === 'Agent' || tool === 'Task';
}

export class AgentsView {
	readonly timeoutMs: number;
	readonly maxAgents: number;
	private spawns = new Map<string, Spawn>();
	private runs = new Map<string, Run>();
	private pending = new Map<string | null, Spawn[]>();
	/** Spawns not ended nor orphaned, runs not stopped nor orphaned: what Stop / SessionEnd look at. */
	private openSpawns = new Set<Spawn>();
	private openRuns = new Set<Run>();
	private order = 0;

	constructor(options: AgentsOptions = {}) {
		this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
		this.maxAgents = options.maxAgents ?? 5000;
	}

	apply(rec: EventRecord, t: number): void {
		const agentId = agentIdOf(rec);
		const tool = toolNameOf(rec);
		if (isAgentTool(tool) && rec.type === 'PreToolUse') this.onSpawn(rec, t);
		else if (
			isAgentTool(tool) &&
			(rec.type === 'PostToolUse' || rec.type === 'PostToolUseFailure' || rec.type === 'PermissionDenied')
		)
			this.onSpawnEnd(rec, t);
		if (rec.type === 'SubagentStart' && agentId !== null) {
			const run = this.ensureRun(agentId, agentTypeOf(rec), sessionOf(rec), t);
			if (!run.startKnown) {
				run.start = Math.min(run.start, t);
				run.startKnown = true;
			}
			const description = str(rec.payload.description);
			if (description !== null) run.description ??= oneLine(description, 200);
		} else if (rec.type === 'SubagentStop' && agentId !== null) {
			const run = this.ensureRun(agentId, agentTypeOf(rec), sessionOf(rec), t);
			run.stoppedAt = t;
			run.orphanedAt = null;
			this.openRuns.delete(run);
			const message = str(rec.payload.last_assistant_message);
			if (message !== null) run.lastMessage = oneLine(message, 500);
		} else if (rec.type === 'Stop' || rec.type === 'StopFailure' || rec.type === 'UserPromptSubmit') {
			this.orphan(t, rec.type === 'UserPromptSubmit' ? 'prompt' : 'stop', sessionOf(rec), true);
		} else if (rec.type === 'SessionEnd') {
			this.orphan(t, 'session-end', sessionOf(rec), false);
		} else if (agentId !== null) {
			const run = this.ensureRun(agentId, agentTypeOf(rec), sessionOf(rec), t);
			const id = toolUseIdOf(rec);
			if (TOOL_EVENTS.has(rec.type) && id !== null && !run.toolIds.has(id)) {
				run.toolIds.add(id);
				run.toolCount++;
				if (run.toolIds.size > MAX_TOOL_IDS) run.toolIds.delete(run.toolIds.values().next().value!);
			}
		}
		if (agentId !== null) {
			const run = this.runs.get(agentId);
			if (run !== undefined && t > run.lastActivity) run.lastActivity = t;
		}
	}

	/** The `tool_use_id` of the Agent call that spawned this agent, when joined. */
	spawnIdOf(agentId: string): string | null {
		return this.runs.get(agentId)?.spawn?.toolUseId ?? null;
	}

	snapshot(now: number): AgentEntry[] {
		const rows: AgentEntry[] = [];
		for (const run of this.runs.values()) rows.push(this.row(run, run.spawn, now));
		for (const spawn of this.spawns.values()) if (spawn.run === null) rows.push(this.row(null, spawn, now));
		return rows.sort((a, b) => b.start - a.start);
	}

	get size(): number {
		return this.runs.size + this.spawns.size;
	}

	reset(): void {
		this.spawns.clear();
		this.runs.clear();
		this.pending.clear();
		this.openSpawns.clear();
		this.openRuns.clear();
	}

	private row(r: Run | null, s: Spawn | null, now: number): AgentEntry {
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
		} else if (now - lastActivity > this.timeoutMs) {
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

	private onSpawn(rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec) ?? `rec:${rec.id}`;
		const existing = this.spawns.get(id);
		const spawn = existing ?? this.createSpawn(rec, id, t);
		spawn.start = Math.min(spawn.start, t);
		this.fillSpawn(spawn, rec);
		if (existing === undefined) this.queue(spawn);
	}

	private onSpawnEnd(rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec) ?? this.pending.get(sessionOf(rec))?.[0]?.toolUseId ?? `rec:${rec.id}`;
		const spawn = this.spawns.get(id) ?? this.createSpawn(rec, id, t - (num(rec.payload.duration_ms) ?? 0));
		this.fillSpawn(spawn, rec);
		if (spawn.endStatus !== null) return;
		spawn.end = t;
		spawn.orphanedAt = null;
		this.openSpawns.delete(spawn);
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
		this.unqueue(spawn);
		const agentId = str(response?.agentId);
		if (agentId !== null) this.relink(spawn, agentId);
		if (spawn.run !== null) spawn.run.orphanedAt = null;
	}

	private createSpawn(rec: EventRecord, id: string, t: number): Spawn {
		const spawn: Spawn = {
			toolUseId: id,
			order: this.order++,
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
		this.spawns.set(id, spawn);
		this.openSpawns.add(spawn);
		this.evict(t);
		return spawn;
	}

	private fillSpawn(spawn: Spawn, rec: EventRecord): void {
		const input = toolInputOf(rec);
		if (input === null) return;
		if (spawn.description === '') spawn.description = oneLine(str(input.description) ?? '', 200);
		spawn.prompt ??= str(input.prompt);
		spawn.subagentType ??= str(input.subagent_type);
		if (input.run_in_background === true) spawn.background = true;
	}

	private queue(spawn: Spawn): void {
		const list = this.pending.get(spawn.session);
		if (list === undefined) this.pending.set(spawn.session, [spawn]);
		else {
			let i = list.length;
			while (i > 0 && list[i - 1].order > spawn.order) i--;
			list.splice(i, 0, spawn);
		}
	}

	private unqueue(spawn: Spawn): void {
		const list = this.pending.get(spawn.session);
		const i = list?.indexOf(spawn) ?? -1;
		if (i >= 0) list!.splice(i, 1);
		if (list !== undefined && list.length === 0) this.pending.delete(spawn.session);
	}

	private ensureRun(agentId: string, type: string | null, session: string | null, t: number): Run {
		let run = this.runs.get(agentId);
		if (run !== undefined) {
			if (run.agentType === null && type !== null) run.agentType = type;
			return run;
		}
		run = {
			agentId,
			order: this.order++,
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
		this.runs.set(agentId, run);
		this.openRuns.add(run);
		this.joinPending(run);
		this.evict(t);
		return run;
	}

	/** Joins a run to the oldest waiting spawn of its session: same type, else untyped, else any when the run's type is empty. */
	private joinPending(run: Run): void {
		const list = this.pending.get(run.session) ?? [];
		const type = run.agentType;
		const spawn =
			list.find((s) => type !== null && s.subagentType === type) ??
			list.find((s) => s.subagentType === null) ??
			(type === null ? list[0] : undefined);
		if (spawn !== undefined) {
			this.link(spawn, run);
			this.unqueue(spawn);
		}
	}

	private link(spawn: Spawn, run: Run): void {
		spawn.run = run;
		run.spawn = spawn;
	}

	/** PostToolUse(Agent) named the agent: make that the join, swapping back a wrong guess. */
	private relink(spawn: Spawn, agentId: string): void {
		if (spawn.run?.agentId === agentId) return;
		const oldRun = spawn.run;
		let run = this.runs.get(agentId);
		if (run === undefined) {
			run = this.ensureRunUnlinked(agentId, spawn);
		}
		const otherSpawn = run.spawn;
		if (oldRun !== null) oldRun.spawn = null;
		if (otherSpawn !== null) otherSpawn.run = null;
		this.link(spawn, run);
		if (oldRun !== null && otherSpawn !== null) this.link(otherSpawn, oldRun);
		else if (otherSpawn !== null && otherSpawn.endStatus === null) this.queue(otherSpawn);
		else if (oldRun !== null) this.joinPending(oldRun);
	}

	private ensureRunUnlinked(agentId: string, spawn: Spawn): Run {
		const run: Run = {
			agentId,
			order: this.order++,
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
		this.runs.set(agentId, run);
		this.openRuns.add(run);
		this.evict(run.lastActivity);
		return run;
	}

	private orphan(
		t: number,
		reason: AgentInterruptCause,
		session: string | null,
		foregroundOnly: boolean,
	): void {
		for (const spawn of this.openSpawns) {
			if (spawn.session !== session || spawn.start > t) continue;
			if (foregroundOnly && spawn.background) continue;
			if (spawn.run?.stoppedAt != null) continue;
			spawn.orphanedAt = t;
			spawn.orphanReason = reason;
			this.openSpawns.delete(spawn);
		}
		if (foregroundOnly) return;
		for (const run of this.openRuns) {
			if (run.session !== session) continue;
			run.orphanedAt = t;
			run.orphanReason = reason;
			this.openRuns.delete(run);
		}
	}

	/** Keeps at most `maxAgents` spawns and as many runs (trimmed to 90% when passed): finished ones go first. */
	private evict(t: number): void {
		for (const run of trimMap(
			this.runs,
			this.maxAgents,
			(r) => r.stoppedAt !== null || r.orphanedAt !== null || t - r.lastActivity > this.timeoutMs,
		)) {
			this.openRuns.delete(run);
			if (run.spawn !== null) run.spawn.run = null;
		}
		for (const spawn of trimMap(
			this.spawns,
			this.maxAgents,
			(s) => s.endStatus !== null || s.orphanedAt !== null,
		)) {
			this.openSpawns.delete(spawn);
			this.unqueue(spawn);
			if (spawn.run !== null) spawn.run.spawn = null;
		}
	}
}
