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
import {trimMap} from './bounded.js';
import {agentIdOf, agentTypeOf, num, oneLine, sessionOf, str, toolNameOf, toolUseIdOf} from './fields.js';
import type {AgentEntry, AgentInterruptCause} from './agent-entry.js';
import {
	agentRow,
	endSpawn,
	fillSpawn,
	newRun,
	newSpawn,
	runOfSpawn,
	type Run,
	type Spawn,
} from './agent-halves.js';

export type {AgentEntry, AgentInterruptCause, AgentStatus} from './agent-entry.js';

export interface AgentsOptions {
	timeoutMs?: number;
	maxAgents?: number;
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
		for (const run of this.runs.values()) rows.push(agentRow(run, run.spawn, now, this.timeoutMs));
		for (const spawn of this.spawns.values())
			if (spawn.run === null) rows.push(agentRow(null, spawn, now, this.timeoutMs));
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

	private onSpawn(rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec) ?? `rec:${rec.id}`;
		const existing = this.spawns.get(id);
		const spawn = existing ?? this.createSpawn(rec, id, t);
		spawn.start = Math.min(spawn.start, t);
		fillSpawn(spawn, rec);
		if (existing === undefined) this.queue(spawn);
	}

	private onSpawnEnd(rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec) ?? this.pending.get(sessionOf(rec))?.[0]?.toolUseId ?? `rec:${rec.id}`;
		const spawn = this.spawns.get(id) ?? this.createSpawn(rec, id, t - (num(rec.payload.duration_ms) ?? 0));
		fillSpawn(spawn, rec);
		if (spawn.endStatus !== null) return;
		const agentId = endSpawn(spawn, rec, t);
		this.openSpawns.delete(spawn);
		this.unqueue(spawn);
		if (agentId !== null) this.relink(spawn, agentId);
		if (spawn.run !== null) spawn.run.orphanedAt = null;
	}

	private createSpawn(rec: EventRecord, id: string, t: number): Spawn {
		const spawn = newSpawn(rec, id, t, this.order++);
		this.spawns.set(id, spawn);
		this.openSpawns.add(spawn);
		this.evict(t);
		return spawn;
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
		run = newRun(agentId, this.order++, session, type, t);
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
		const run = runOfSpawn(agentId, this.order++, spawn);
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
