/**
 * Derived views over the event stream (design §3): tool calls, agents, files, sessions, todos,
 * usage (tokens, $ and API time: core/usage/usage-view.ts).
 * Incremental and pure: feed records with `apply`, read snapshots with the current time.
 *
 *   const views = createViews();
 *   views.applyMany(records);
 *   const rows = views.tools(Date.now());
 *
 * A record's time is its `time` field (a record with an unreadable time takes the latest time
 * seen). A record whose `id` was already applied (among the last 20,000) is ignored, so a
 * catch-up page that overlaps live events does no harm.
 */
import type {EventRecord} from '../record.js';
import {AgentsView, type AgentEntry} from './agents.js';
import {AgentTypes} from './agent-types.js';
import {RecentSet} from '../recent-set.js';
import {agentIdOf} from './fields.js';
import {FilesView, type FileEntry} from './files.js';
import {SessionsView, type SessionEntry} from './sessions.js';
import {TodosView, type TodoList} from './todos.js';
import {ToolsView, type ToolCall} from './tools.js';
import {UsageView} from '../usage/usage-view.js';
import type {UsageSnapshot, UsageTotalsSnapshot} from '../usage/usage-types.js';

export type {AgentEntry, AgentInterruptCause, AgentStatus} from './agents.js';
export type {FileEntry, FileOp} from './files.js';
export type {BackgroundTask, SessionCron, SessionEntry, SessionState, WaitReason} from './sessions.js';
export type {TaskItem, TodoItem, TodoList} from './todos.js';
export type {
	CostBySource,
	HookHealth,
	ModelTotals,
	PromptUsage,
	SessionUsage,
	SessionUsageTotals,
	SubagentUsage,
	TokenTotals,
	ToolUsage,
	UsageSnapshot,
	UsageTotals,
	UsageTotalsSnapshot,
} from '../usage/usage-types.js';
export type {InterruptCause, ToolCall, ToolStatus} from './tool-row.js';
export {isAgentTool} from './agents.js';
export {fileOpOf} from './files.js';
export {MAIN_AGENT} from './fields.js';
export {agoChangesIn, formatAgo, formatClock, formatDuration} from './format.js';
export {commonRoot, homeShort, relativeTo} from './paths.js';
export {toolTarget} from './target.js';
export {interruptText, sortToolCalls, toolStatusWord} from './tool-row.js';

export interface ViewsOptions {
	/** A tool call with no end and no activity for this long is orphaned. Default 10 min. */
	toolTimeoutMs?: number;
	/** A subagent with no event for this long is lost (and, without `background_tasks`, no longer a session's background work). Default 10 min. */
	agentTimeoutMs?: number;
	/** A session with no event for this long is stale. Default 30 min. */
	staleMs?: number;
	/** Default 20,000; the oldest finished calls are dropped first. */
	maxToolCalls?: number;
	/** Default 5,000 (spawns and runs each). */
	maxAgents?: number;
	/** Default 20,000; the least recently touched files are dropped first. */
	maxFiles?: number;
	/** Default 1,000; the least recently active sessions are dropped first. */
	maxSessions?: number;
	/** Default 1,000 todo lists (one per session and agent). */
	maxTodoLists?: number;
	/** Default 20,000 API requests held for the usage join (usage-view.ts). */
	maxUsageRequests?: number;
}

export interface Views {
	apply(record: EventRecord): void;
	applyMany(records: Iterable<EventRecord>): void;
	/** Tool calls, newest first; running calls' `durationMs` is the elapsed time at `now`. */
	tools(now: number): ToolCall[];
	/** Whether a tool call is running at `now` (as `tools(now)` would show it); cheaper than the rows. */
	toolsRunning(now: number): boolean;
	/** One tool call by id (`tool_use_id`), or null. */
	toolCall(id: string, now: number): ToolCall | null;
	/** Subagents, newest first. */
	agents(now: number): AgentEntry[];
	/** Files, most recently touched first. */
	files(): FileEntry[];
	/** Sessions: waiting-for-you first, then working/idle, stale, ended; each by last activity. */
	sessions(now: number, staleMs?: number): SessionEntry[];
	/** Todo lists (per session and agent), most recently updated first; only `session`'s when given. */
	todos(session?: string | null): TodoList[];
	/**
	 * Tokens, $, API time per session, prompt, subagent and tool call, burn rates ($/h over the
	 * 10 minutes before `now`) and hook health: the usage join (core/usage/usage-view.ts). With
	 * `session` (null: records without one), only that session's prompts and subagents are made.
	 */
	usage(now: number, session?: string | null): UsageSnapshot;
	/** Per-session totals only (no prompts, subagents or tool calls): cheaper than `usage`. */
	usageTotals(now: number): UsageTotalsSnapshot;
	/** The $ of requests at or after `since` (the header's "today"). */
	usageCostSince(since: number): number;
	/** Grows with every applied record and on reset: compare to skip re-rendering. */
	readonly version: number;
	reset(): void;
}

const SEEN_IDS = 20_000;

export function createViews(options: ViewsOptions = {}): Views {
	const agentTypes = new AgentTypes();
	const tools = new ToolsView({timeoutMs: options.toolTimeoutMs, maxCalls: options.maxToolCalls, agentTypes});
	const agents = new AgentsView({timeoutMs: options.agentTimeoutMs, maxAgents: options.maxAgents});
	const files = new FilesView({maxFiles: options.maxFiles, agentTypes});
	const sessions = new SessionsView({
		staleMs: options.staleMs,
		maxSessions: options.maxSessions,
		agentTimeoutMs: options.agentTimeoutMs,
	});
	const todos = new TodosView({maxLists: options.maxTodoLists});
	const usage = new UsageView({
		maxRequests: options.maxUsageRequests,
		maxSessions: options.maxSessions,
		maxToolCalls: options.maxToolCalls,
		seen: false,
	});
	const seen = new RecentSet(SEEN_IDS);
	let lastTime = 0;
	let version = 0;

	function apply(rec: EventRecord): void {
		if (rec.id) {
			if (seen.has(rec.id)) return;
			seen.add(rec.id);
		}
		const parsed = Date.parse(rec.time);
		const t = Number.isFinite(parsed) ? parsed : lastTime;
		if (t > lastTime) lastTime = t;
		agentTypes.learn(rec);
		tools.apply(rec, t);
		agents.apply(rec, t);
		files.apply(rec, t);
		sessions.apply(rec, t);
		todos.apply(rec, t);
		usage.apply(rec, t);
		const agentId = agentIdOf(rec);
		if (agentId !== null) {
			// A subagent at work keeps its Agent call from timing out.
			const spawnId = agents.spawnIdOf(agentId);
			if (spawnId !== null) tools.touch(spawnId, t);
		}
		version++;
	}

	return {
		apply,
		applyMany(records) {
			for (const rec of records) apply(rec);
		},
		tools: (now) => tools.snapshot(now),
		toolsRunning: (now) => tools.hasRunning(now),
		toolCall: (id, now) => tools.get(id, now),
		agents: (now) => agents.snapshot(now),
		files: () => files.snapshot(),
		sessions: (now, staleMs) => sessions.snapshot(now, staleMs),
		todos: (session) => todos.snapshot(session),
		usage: (now, session) => usage.snapshot(now, session),
		usageTotals: (now) => usage.totals(now),
		usageCostSince: (since) => usage.costSince(since),
		get version() {
			return version;
		},
		reset() {
			tools.reset();
			agents.reset();
			files.reset();
			sessions.reset();
			todos.reset();
			usage.reset();
			agentTypes.clear();
			seen.clear();
			lastTime = 0;
			version++;
		},
	};
}
