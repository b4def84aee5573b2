/**
 * A session's background work, for the Sessions view's `background` state.
 *
 * Stop and SubagentStop carry `background_tasks[]` (since Claude Code 2.1.145: `{id, type, status,
 * description, command?, agent_type?, server?, tool?, name?}`) and `session_crons[]` (`{id,
 * schedule, recurring, prompt}`). What runs is the latest Stop's list of tasks still running
 * (status `running` or `pending`, or none given), less each subagent's task once its
 * SubagentStop comes, plus the tasks a SubagentStop lists as still running. A later Stop replaces
 * the list; a list older than the one held is ignored. Without `background_tasks` on the Stop
 * (older Claude Code, claude-mpm) the subagents started and not stopped are what runs (each for
 * as long as it shows activity within `agentTimeoutMs`).
 */
import {RecentSet} from '../recent-set.js';
import {num, obj, oneLine, str} from './fields.js';

export interface BackgroundTask {
	/** The task's id (for a subagent, compared with its `agent_id`), or null. */
	id: string | null;
	/** shell, subagent, monitor, workflow, teammate, cloud session, MCP task, … */
	type: string;
	/** What runs, in one line: its description, else its command, name, tool or server. */
	description: string;
	/** A subagent's type, when given. */
	agentType: string | null;
}

export interface SessionCron {
	id: string | null;
	schedule: string;
	recurring: boolean;
	prompt: string;
}

/** Entries read from one list: a hook that sends more is cut here, the count stays bounded. */
const MAX_ENTRIES = 100;
const MAX_AGENTS = 50;
const MAX_STOPPED = 200;
const RUNNING = new Set(['running', 'pending']);

/** The running entries of a `background_tasks` value, or null when it is not a list. */
export function runningTasks(value: unknown): BackgroundTask[] | null {
	if (!Array.isArray(value)) return null;
	const out: BackgroundTask[] = [];
	for (let i = 0; i < value.length && i < MAX_ENTRIES; i++) {
		const entry = obj(value[i]);
		if (entry === null) continue;
		const status = entry.status;
		if (status !== undefined && status !== null && !(typeof status === 'string' && RUNNING.has(status)))
			continue;
		const type = str(entry.type) ?? 'task';
		const agentType = str(entry.agent_type);
		const what =
			str(entry.description) ??
			str(entry.command) ??
			str(entry.name) ??
			str(entry.tool) ??
			str(entry.server) ??
			agentType ??
			type;
		out.push({
			id: str(entry.id) ?? (num(entry.id) !== null ? String(entry.id) : null),
			type,
			description: oneLine(what, 120),
			agentType,
		});
	}
	return out;
}

/** The entries of a `session_crons` value, or null when it is not a list. */
export function sessionCrons(value: unknown): SessionCron[] | null {
	if (!Array.isArray(value)) return null;
	const out: SessionCron[] = [];
	for (let i = 0; i < value.length && i < MAX_ENTRIES; i++) {
		const entry = obj(value[i]);
		if (entry === null) continue;
		out.push({
			id: str(entry.id),
			schedule: oneLine(str(entry.schedule) ?? '', 60),
			recurring: entry.recurring === true,
			prompt: oneLine(str(entry.prompt) ?? '', 120),
		});
	}
	return out;
}

interface RunningAgent {
	type: string | null;
	lastActivity: number;
}

export class BackgroundWork {
	/** The tasks reported running; null while no Stop with `background_tasks` was seen (then: `agents`). */
	private reported: BackgroundTask[] | null = null;
	private reportedAt = -Infinity;
	private readonly agents = new Map<string, RunningAgent>();
	/** Subagents that stopped: no list brings them back. */
	private readonly stopped = new RecentSet(MAX_STOPPED);
	crons: readonly SessionCron[] = [];

	/** The main agent's Stop (or StopFailure) at `t`. */
	onStop(payload: Record<string, unknown>, t: number): void {
		if (t < this.reportedAt) return;
		const tasks = runningTasks(payload.background_tasks);
		this.reportedAt = t;
		this.reported = tasks === null ? null : tasks.filter((task) => !this.hasStopped(task));
		const crons = sessionCrons(payload.session_crons);
		if (crons !== null) this.crons = crons;
	}

	/** Any event of subagent `agentId` but its SubagentStop: it runs. */
	onAgentActivity(agentId: string, type: string | null, t: number): void {
		if (this.stopped.has(agentId)) return;
		const known = this.agents.get(agentId);
		if (known !== undefined) {
			if (t > known.lastActivity) known.lastActivity = t;
			if (known.type === null) known.type = type;
			return;
		}
		this.agents.set(agentId, {type, lastActivity: t});
		if (this.agents.size > MAX_AGENTS) this.agents.delete(this.agents.keys().next().value!);
	}

	onSubagentStop(agentId: string, type: string | null, payload: Record<string, unknown>): void {
		this.agents.delete(agentId);
		this.stopped.add(agentId);
		if (this.reported === null) return;
		let i = this.reported.findIndex((task) => task.id === agentId);
		if (i < 0 && type !== null)
			i = this.reported.findIndex((task) => task.type === 'subagent' && task.agentType === type);
		if (i >= 0) this.reported = this.reported.filter((_, j) => j !== i);
		const listed = runningTasks(payload.background_tasks);
		if (listed === null) return;
		for (const task of listed) {
			if (task.id === agentId || this.hasStopped(task)) continue;
			if (task.id !== null && this.reported.some((known) => known.id === task.id)) continue;
			if (this.reported.length < MAX_ENTRIES) this.reported = [...this.reported, task];
		}
	}

	/** What runs at `now`: the reported tasks, or (with no report) the subagents active within `agentTimeoutMs`. */
	tasks(now: number, agentTimeoutMs: number): readonly BackgroundTask[] {
		if (this.reported !== null) return this.reported;
		const out: BackgroundTask[] = [];
		for (const [id, agent] of this.agents) {
			if (now - agent.lastActivity > agentTimeoutMs) continue;
			out.push({id, type: 'subagent', description: agent.type ?? id, agentType: agent.type});
		}
		return out;
	}

	clear(): void {
		this.reported = null;
		this.reportedAt = -Infinity;
		this.agents.clear();
		this.stopped.clear();
		this.crons = [];
	}

	/** A subagent that stopped runs no more, whatever a list (which may lag behind) says. */
	private hasStopped(task: BackgroundTask): boolean {
		return task.id !== null && this.stopped.has(task.id);
	}
}
