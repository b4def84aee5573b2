/**
 * The usage join (docs/usage.md, "How the numbers are joined"): hook events, telemetry
 * (`source: "otel"` records, `otel.metrics`) and transcripts (`transcript.usage`) fed as event
 * records, read as per-session, per-prompt, per-subagent and per-tool-call usage, a burn rate and
 * a hook health table. Pure and incremental: `apply` stores what each record says about one API
 * request, prompt or tool call (O(1) per record); `snapshot(now)` sums what is stored.
 *
 * The rules:
 * - **One request, counted once.** A request is keyed by session and request id (telemetry's
 *   `request_id` ↔ the transcript's `requestId`). Telemetry's figures win when it has the request
 *   (tokens, `cost_usd`, `duration_ms`, model); the transcript's fill what telemetry lacks (a
 *   request telemetry never sent, a telemetry request with no tokens or no cost) and name the
 *   subagent. Of a transcript's revisions of a request the highest wins; a record that `replaces`
 *   another key stands for it.
 * - **$ and its source**: telemetry's `cost_usd`; else the transcript's `costUSD` (its line's own,
 *   or priced by the follower); else the request's tokens priced here from the table; else the
 *   request is `unpriced`.
 * - **Metrics vs events**: a session with any request-level record (api_request or transcript)
 *   is counted from those; a session with only `otel.metrics` is counted from the metrics (no
 *   requests, no API time). Both are never added together. The metrics' own figures are shown
 *   beside (`metrics`).
 * - **Prompt**: the request's `prompt.id` (telemetry) or `promptId` (transcript), which is the
 *   hook's `prompt_id`; else by time: the session's last prompt (UserPromptSubmit, or telemetry's
 *   user_prompt) at or before the request's time; before any prompt, the `` key.
 * - **Subagent**: the transcript record's `agentId` (telemetry names subagents only by type).
 * - **Tool call** (`tool_use_id`): the hook's PreToolUse / PostToolUse(Failure) times beside
 *   telemetry's tool_result (`duration_ms`, `success`) and tool_decision.
 *
 * Bounded: requests (and api errors), tool calls and sessions are capped; past the request cap
 * the oldest are folded into their session's totals (so a session's and the total's numbers stay
 * whole, but a prompt's or a subagent's cover only the requests still held). Sessions go least
 * recently active first, with their requests and tool calls; tool calls finished first.
 * Records are ignored when their `id` was seen among the last 20,000.
 */
import type {EventRecord} from '../record.js';
import {RecentSet} from '../recent-set.js';
import {trimMap} from '../views/bounded.js';
import {BUILT_IN_PRICES} from './prices-data.js';
import {PriceIndex} from './prices.js';
import {HookHealthTable} from './hook-health.js';
import {toNano, UsageAccum} from './usage-accum.js';
import {countOf, idOf, own, promptIdOf, timeOf, toolUseIdOf} from './usage-fields.js';
import {foldMetrics} from './usage-metrics.js';
import {
	replacedKeyOf,
	requestFigures,
	telemetryRequest,
	transcriptRequest,
	type Entry,
	type ErrorEntry,
	type RequestEntry,
} from './usage-requests.js';
import {notePrompt, type SessionState} from './usage-sessions.js';
import {computeUsage, type UsageHeld} from './usage-snapshot.js';
import {applyToolRecord, newToolState, type ToolState} from './usage-tool-calls.js';
import type {UsageSnapshot, UsageTotalsSnapshot} from './usage-types.js';

export interface UsageViewOptions {
	/** API requests and api errors held for the join. Default 20,000. */
	maxRequests?: number;
	/** Default 1,000. */
	maxSessions?: number;
	/** Default 20,000. */
	maxToolCalls?: number;
	/** Prompts remembered per session (for attribution by time). Default 1,000. */
	maxPromptsPerSession?: number;
	/** Prices for a telemetry request without `cost_usd`. Default: the shipped table. */
	prices?: PriceIndex;
	/** The burn rate's window. Default 10 minutes. */
	burnWindowMs?: number;
	/** False when the caller already drops records whose id was applied (the views bundle). Default true. */
	seen?: boolean;
}

const SEEN_IDS = 20_000;
/** The record types the join reads; every other record costs one Set lookup. */
const USAGE_TYPES = new Set([
	'claude_code.api_request',
	'claude_code.api_error',
	'transcript.usage',
	'otel.metrics',
	'claude_code.user_prompt',
	'UserPromptSubmit',
	'claude_code.tool_result',
	'claude_code.tool_decision',
	'PreToolUse',
	'PostToolUse',
	'PostToolUseFailure',
	'claude_code.hook_execution_complete',
]);
const TEN_MINUTES = 10 * 60_000;

function sessionKeyOf(rec: EventRecord): string {
	return idOf(rec.session) ?? '';
}

export class UsageView {
	private readonly entries = new Map<string, Entry>();
	private readonly sessions = new Map<string, SessionState>();
	private readonly tools = new Map<string, ToolState>();
	/** Keys whose transcript record was replaced by a record under another key. */
	private readonly replaced = new RecentSet(4096);
	private readonly seen: RecentSet | null;
	private readonly hooks = new HookHealthTable();
	private readonly maxRequests: number;
	private readonly maxSessions: number;
	private readonly maxToolCalls: number;
	private readonly maxPrompts: number;
	private readonly burnWindowMs: number;
	private readonly prices: PriceIndex;
	private lastTime = 0;
	private applied = 0;
	/** Changes that can move a $ (requests, transcripts, metrics, a trim, a reset): `costSince` is kept until the next. */
	private costChanges = 0;
	private costMemo: {changes: number; since: number; usd: number} | null = null;

	constructor(options: UsageViewOptions = {}) {
		this.maxRequests = options.maxRequests ?? 20_000;
		this.maxSessions = options.maxSessions ?? 1_000;
		this.maxToolCalls = options.maxToolCalls ?? 20_000;
		this.maxPrompts = options.maxPromptsPerSession ?? 1_000;
		this.burnWindowMs = options.burnWindowMs ?? TEN_MINUTES;
		this.prices = options.prices ?? new PriceIndex(BUILT_IN_PRICES);
		this.seen = options.seen === false ? null : new RecentSet(SEEN_IDS);
	}

	/** Records taken (not ignored as already seen). */
	get version(): number {
		return this.applied;
	}

	/** What is held: for tests and benchmarks of the bounds. */
	get sizes(): {requests: number; sessions: number; toolCalls: number; prompts: number} {
		let prompts = 0;
		for (const s of this.sessions.values()) prompts += s.prompts.size;
		return {requests: this.entries.size, sessions: this.sessions.size, toolCalls: this.tools.size, prompts};
	}

	/**
	 * One record. `time` is its time in ms when the caller has parsed it already (the views
	 * bundle does, and it also drops records already applied: `seen: false` in the options).
	 */
	apply(rec: EventRecord, time?: number): void {
		if (!USAGE_TYPES.has(rec.type)) return;
		if (this.seen !== null && rec.id) {
			if (this.seen.has(rec.id)) return;
			this.seen.add(rec.id);
		}
		const t = time ?? timeOf(rec, this.lastTime);
		if (t > this.lastTime) this.lastTime = t;
		switch (rec.type) {
			case 'claude_code.api_request':
				this.applyTelemetryRequest(rec, t);
				this.costChanges++;
				break;
			case 'claude_code.api_error':
				this.applyError(rec, t);
				break;
			case 'transcript.usage':
				this.applyTranscript(rec, t);
				this.costChanges++;
				break;
			case 'otel.metrics':
				this.applyMetrics(rec, t);
				this.costChanges++;
				break;
			case 'claude_code.user_prompt':
			case 'UserPromptSubmit':
				this.applyPrompt(rec, t);
				break;
			case 'claude_code.tool_result':
			case 'claude_code.tool_decision':
			case 'PreToolUse':
			case 'PostToolUse':
			case 'PostToolUseFailure':
				this.applyTool(rec, t);
				break;
			case 'claude_code.hook_execution_complete':
				this.hooks.apply(rec);
				break;
		}
		this.applied++;
	}

	applyMany(records: Iterable<EventRecord>): void {
		for (const rec of records) this.apply(rec);
	}

	reset(): void {
		this.entries.clear();
		this.sessions.clear();
		this.tools.clear();
		this.replaced.clear();
		this.seen?.clear();
		this.hooks.clear();
		this.lastTime = 0;
		this.applied++;
		this.costChanges++;
	}

	/**
	 * Every session with its prompts (and their tool calls) and subagents; with `session`, only
	 * that one's breakdowns are made (the others' `prompts` and `subagents` are empty), which costs
	 * a fraction of the whole when many requests and tool calls are held.
	 */
	snapshot(now: number, session?: string | null): UsageSnapshot {
		const only = session === undefined ? null : (session ?? '');
		return computeUsage(
			this.held(),
			now,
			this.burnWindowMs,
			(key) => only === null || key === only,
		) as UsageSnapshot;
	}

	/** Per-session totals only (what `GET /api/usage` sends): no prompts, subagents or tool calls. */
	totals(now: number): UsageTotalsSnapshot {
		return computeUsage(this.held(), now, this.burnWindowMs, null);
	}

	/**
	 * The $ of requests (and, for a session counted from metrics only, of metric deltas) at or after
	 * `since`: what the header calls today's total. Requests folded out past the cap have no time
	 * and are not counted. O(requests held), without the per-session work of `totals`.
	 */
	costSince(since: number): number {
		// The header asks on every frame; it is recomputed only after a record that can change a $.
		const memo = this.costMemo;
		if (memo !== null && memo.changes === this.costChanges && memo.since === since) return memo.usd;
		let nano = 0;
		const counted = new Set<string>();
		for (const entry of this.entries.values()) {
			if (entry.kind !== 'request') continue;
			counted.add(entry.session);
			const f = requestFigures(entry);
			if (f.usd !== null && f.time >= since) nano += toNano(f.usd);
		}
		for (const s of this.sessions.values()) {
			if (s.metrics === null || counted.has(s.key) || s.retired.requests > 0) continue;
			for (const d of s.metrics.deltas) if (d.time >= since) nano += d.nano;
		}
		this.costMemo = {changes: this.costChanges, since, usd: nano / 1e9};
		return nano / 1e9;
	}

	private held(): UsageHeld {
		return {sessions: this.sessions, entries: this.entries, tools: this.tools, hooks: this.hooks};
	}

	// ----- apply -----

	private session(key: string, t: number): SessionState {
		let s = this.sessions.get(key);
		if (s === undefined) {
			s = {key, first: t, last: t, prompts: new Map(), starts: [], retired: new UsageAccum(), metrics: null};
			this.sessions.set(key, s);
			this.trimSessions(key);
		} else {
			if (t < s.first) s.first = t;
			if (t > s.last) {
				s.last = t;
				// Most recently active last: the map's order is the eviction order.
				this.sessions.delete(key);
				this.sessions.set(key, s);
			}
		}
		return s;
	}

	private trimSessions(keep: string): void {
		if (this.sessions.size <= this.maxSessions) return;
		const gone = new Set(trimMap(this.sessions, this.maxSessions, (s) => s.key !== keep).map((s) => s.key));
		if (gone.size === 0) return;
		this.costChanges++;
		for (const [key, entry] of this.entries) if (gone.has(entry.session)) this.entries.delete(key);
		for (const [key, tool] of this.tools) if (gone.has(tool.session)) this.tools.delete(key);
	}

	private request(sessionKey: string, requestKey: string): RequestEntry {
		const key = `${sessionKey}\u0000${requestKey}`;
		const found = this.entries.get(key);
		if (found !== undefined && found.kind === 'request') return found;
		const entry: RequestEntry = {kind: 'request', session: sessionKey, tel: null, tx: null};
		this.entries.set(key, entry);
		this.trimEntries(entry);
		return entry;
	}

	/** Folds the oldest entries (never `keep`, the one just added) into their sessions' totals. */
	private trimEntries(keep: Entry): void {
		if (this.entries.size <= this.maxRequests) return;
		this.costChanges++;
		for (const entry of trimMap(this.entries, this.maxRequests, (e) => e !== keep)) {
			const s = this.sessions.get(entry.session);
			if (s === undefined) continue;
			if (entry.kind === 'error') s.retired.errors++;
			else s.retired.addRequest(requestFigures(entry));
		}
	}

	private applyTelemetryRequest(rec: EventRecord, t: number): void {
		const sessionKey = sessionKeyOf(rec);
		this.session(sessionKey, t);
		const requestId = idOf(own(rec.payload, 'request_id'));
		const entry = this.request(sessionKey, requestId === null ? `otel:${rec.id}` : `r:${requestId}`);
		entry.tel = telemetryRequest(rec, t, this.prices);
	}

	private applyError(rec: EventRecord, t: number): void {
		const sessionKey = sessionKeyOf(rec);
		this.session(sessionKey, t);
		const key = `${sessionKey}\u0000e:${rec.id}`;
		if (this.entries.has(key)) return;
		const entry: ErrorEntry = {kind: 'error', session: sessionKey, time: t, promptId: promptIdOf(rec)};
		this.entries.set(key, entry);
		this.trimEntries(entry);
	}

	private applyTranscript(rec: EventRecord, t: number): void {
		const p = rec.payload;
		const sessionKey = sessionKeyOf(rec);
		const requestId = idOf(own(p, 'requestId'));
		const messageId = idOf(own(p, 'messageId'));
		if (requestId === null && messageId === null) return;
		const requestKey = requestId === null ? `m:${messageId}` : `r:${requestId}`;
		if (this.replaced.has(`${sessionKey}\u0000${requestKey}`)) return;
		this.session(sessionKey, t);
		const revision = countOf(own(p, 'revision')) ?? 1;
		const oldKey = replacedKeyOf(own(p, 'replaces'));
		if (oldKey !== null && oldKey !== requestKey) {
			const full = `${sessionKey}\u0000${oldKey}`;
			this.replaced.add(full);
			const old = this.entries.get(full);
			if (old !== undefined && old.kind === 'request') {
				old.tx = null;
				if (old.tel === null) this.entries.delete(full);
			}
		}
		const entry = this.request(sessionKey, requestKey);
		if (entry.tx !== null && entry.tx.revision >= revision) return;
		entry.tx = transcriptRequest(rec, t, revision);
	}

	private applyMetrics(rec: EventRecord, t: number): void {
		foldMetrics(rec, t, (key, time) => this.session(key, time));
	}

	private applyPrompt(rec: EventRecord, t: number): void {
		const promptId = promptIdOf(rec);
		// A telemetry user_prompt without prompt.id adds nothing the hook's UserPromptSubmit does not.
		if (promptId === null && rec.type !== 'UserPromptSubmit') return;
		const s = this.session(sessionKeyOf(rec), t);
		notePrompt(s, rec, promptId, t, this.maxPrompts);
	}

	private applyTool(rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec);
		if (id === null) return;
		const sessionKey = sessionKeyOf(rec);
		this.session(sessionKey, t);
		let tool = this.tools.get(id);
		if (tool === undefined) {
			tool = newToolState(id, sessionKey, t);
			this.tools.set(id, tool);
			if (this.tools.size > this.maxToolCalls)
				trimMap(this.tools, this.maxToolCalls, (c) => c.end !== null || c.durationMs !== null);
		}
		applyToolRecord(tool, rec, t);
	}
}
