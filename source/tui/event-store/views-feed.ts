/**
 * The derived views (tools, agents, files, sessions) fed incrementally from the event store.
 * Two feeds: the selected one (records that pass the filter line and the session scope) for
 * the Tools / Agents / Files / Sessions tabs, and a sessions-only one over every record for the
 * header's "N waiting" (a session waiting for you matters whatever is on screen).
 * Snapshots are lazy: a tab's rows are computed when first read, once per snapshot, so only the
 * tab on screen costs anything.
 */
import type {EventRecord} from '../../core/record.js';
import {
	createViews,
	type AgentEntry,
	type FileEntry,
	type SessionEntry,
	type ToolCall,
	type UsageSnapshot,
	type UsageTotalsSnapshot,
	type Views,
} from '../../core/views/index.js';
import {SessionsView} from '../../core/views/sessions.js';

export interface ViewsSnapshot {
	/** Changes whenever the views changed (new records, rebuilt, cleared). */
	version: number;
	/** The time the running durations and "ago" columns are computed for. */
	now: number;
	tools(): readonly ToolCall[];
	agents(): readonly AgentEntry[];
	files(): readonly FileEntry[];
	sessions(): readonly SessionEntry[];
	/** Tokens, $ and API time per session, prompt, subagent and tool call (the usage join), at `now`. */
	usage(): UsageSnapshot;
	/**
	 * The usage join with one session's breakdowns only (its prompts, tool calls and subagents; the
	 * other sessions' totals): what an opened session on the Usage tab needs, a fraction of `usage()`.
	 */
	usageOf(session: string | null): UsageSnapshot;
	/** Per-session totals only (the Usage tab's list, the $ columns of Sessions and Agents). */
	usageTotals(): UsageTotalsSnapshot;
	/** The $ of requests since local midnight of `now` (the header's `$… today`). */
	todayUSD(): number;
	/** Sessions waiting for you, over every event (not only the filtered or scoped ones). */
	waiting: number;
	/** Whether a tool call or an agent is running, or a session waits (the screen should tick). */
	live(): boolean;
	/** The stored records of a tool call (its PreToolUse, PostToolUse…), oldest first. */
	recordsOf(call: ToolCall): EventRecord[];
}

const none = () => [];
const noUsage: UsageSnapshot = {
	now: new Date(0).toISOString(),
	total: {
		tokens: {input: 0, output: 0, cacheWrite: 0, cacheRead: 0},
		costUSD: 0,
		cost: {telemetry: 0, transcript: 0, pricedHere: 0, metrics: 0},
		costSource: null,
		unpriced: 0,
		apiMs: 0,
		requests: 0,
		errors: 0,
		models: [],
		burnUSDPerHour: 0,
		sessions: 0,
	},
	sessions: [],
	hooks: [],
};

export const emptyViews: ViewsSnapshot = {
	version: -1,
	now: 0,
	tools: none,
	agents: none,
	files: none,
	sessions: none,
	usage: () => noUsage,
	usageOf: () => noUsage,
	usageTotals: () => noUsage,
	todayUSD: () => 0,
	waiting: 0,
	live: () => false,
	recordsOf: none,
};

function lazy<T>(compute: () => T): () => T {
	let done = false;
	let value: T;
	return () => {
		if (!done) {
			value = compute();
			done = true;
		}
		return value;
	};
}

/** `compute` remembered for its last argument (the view asks the same session again each frame). */
function lastOf<A, T>(compute: (arg: A) => T): (arg: A) => T {
	let done = false;
	let last: A;
	let value: T;
	return (arg) => {
		if (!done || arg !== last) {
			value = compute(arg);
			last = arg;
			done = true;
		}
		return value;
	};
}

/** The start of the local day `now` falls in. */
export function localMidnight(now: number): number {
	const day = new Date(now);
	day.setHours(0, 0, 0, 0);
	return day.getTime();
}

export class ViewFeed {
	private readonly views: Views = createViews();
	private readonly all = new SessionsView();
	private lastTime = 0;
	private generation = 0;
	/**
	 * While held (`p`): the selected records that arrived since, applied on release; null when
	 * not held. `overflow`: more arrived than the store keeps, so the release rebuilds instead.
	 */
	private held: {records: EventRecord[]; max: number; overflow: boolean} | null = null;

	/** New records: `selected` pass the filter and scope, `every` is the whole batch. */
	apply(selected: readonly EventRecord[], every: readonly EventRecord[]): void {
		if (this.held === null) this.views.applyMany(selected);
		else if (!this.held.overflow) {
			for (const record of selected) this.held.records.push(record);
			if (this.held.records.length > this.held.max) this.held = {...this.held, records: [], overflow: true};
		}
		for (const record of every) {
			const parsed = Date.parse(record.time);
			const t = Number.isFinite(parsed) ? parsed : this.lastTime;
			if (t > this.lastTime) this.lastTime = t;
			this.all.apply(record, t);
		}
	}

	/** The filter or scope changed (or the view was cleared): start again from these records. */
	rebuild(selected: Iterable<EventRecord>): void {
		this.views.reset();
		this.views.applyMany(selected);
		this.generation++;
		// Built from everything up to now: only what comes next is held.
		if (this.held !== null) this.held = {...this.held, records: [], overflow: false};
	}

	/**
	 * Pause (`p`): the tabs' views stay as they are, the records that arrive meanwhile wait (at
	 * most `max` of them; past that the release rebuilds from what the store keeps). The
	 * sessions-only feed (the header's "N waiting") stays live.
	 */
	hold(max: number): void {
		if (this.held === null) this.held = {records: [], max, overflow: false};
	}

	/** Resume: the held records are applied (or, after an overflow, the views rebuilt from `all`). */
	release(all: () => Iterable<EventRecord>): void {
		const held = this.held;
		if (held === null) return;
		this.held = null;
		if (held.overflow) this.rebuild(all());
		else this.views.applyMany(held.records);
	}

	get version(): number {
		return this.views.version + this.generation;
	}

	/**
	 * A snapshot at `now`. `find` returns the stored records of a tool call (the store knows
	 * them); it is called only when a call's detail is opened.
	 */
	snapshot(now: number, find: (call: ToolCall) => EventRecord[]): ViewsSnapshot {
		const views = this.views;
		const tools = lazy(() => views.tools(now));
		const agents = lazy(() => views.agents(now));
		const sessions = lazy(() => views.sessions(now));
		let waiting = 0;
		for (const s of this.all.snapshot(now)) if (s.state === 'waiting') waiting++;
		return {
			version: this.version,
			now,
			tools,
			agents,
			files: lazy(() => views.files()),
			sessions,
			usage: lazy(() => views.usage(now)),
			usageOf: lastOf((session: string | null) => views.usage(now, session)),
			usageTotals: lazy(() => views.usageTotals(now)),
			todayUSD: lazy(() => views.usageCostSince(localMidnight(now))),
			waiting,
			live: lazy(
				() => waiting > 0 || views.toolsRunning(now) || agents().some((a) => a.status === 'running'),
			),
			recordsOf: find,
		};
	}
}
