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
import {PriceIndex, priceOf} from './prices.js';
import {HookHealthTable} from './hook-health.js';
import {toNano, UsageAccum, type CostKey, type RequestFigures} from './usage-accum.js';
import {
	boolOf,
	countOf,
	emptyTokens,
	idOf,
	otelTokens,
	own,
	promptIdOf,
	timeOf,
	toolUseIdOf,
	transcriptTokens,
	usdOf,
} from './usage-fields.js';
import type {
	PromptUsage,
	SessionUsage,
	SessionUsageTotals,
	SubagentUsage,
	TokenTotals,
	ToolUsage,
	UsageSnapshot,
	UsageTotalsSnapshot,
} from './usage-types.js';

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

interface TelRequest {
	time: number;
	promptId: string | null;
	model: string | null;
	usd: number | null;
	/** The tokens priced here when telemetry gave no cost (or null). */
	priced: number | null;
	apiMs: number;
	tokens: TokenTotals | null;
}

interface TxRequest {
	time: number;
	revision: number;
	promptId: string | null;
	model: string | null;
	usd: number | null;
	source: CostKey | null;
	tokens: TokenTotals;
	agentId: string | null;
	agentType: string | null;
}

interface RequestEntry {
	kind: 'request';
	session: string;
	tel: TelRequest | null;
	tx: TxRequest | null;
}

interface ErrorEntry {
	kind: 'error';
	session: string;
	time: number;
	promptId: string | null;
}

type Entry = RequestEntry | ErrorEntry;

interface PromptMark {
	key: string;
	promptId: string | null;
	time: number;
	text: string | null;
}

interface ToolState {
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

interface MetricsState {
	nano: number;
	tokens: TokenTotals;
	models: Map<string, {model: string; nano: number; tokens: TokenTotals}>;
	/** Recent deltas for the burn rate (time, nano-dollars), the last MAX_METRIC_DELTAS. */
	deltas: Array<{time: number; nano: number}>;
}

interface SessionState {
	key: string;
	first: number;
	last: number;
	prompts: Map<string, PromptMark>;
	/** The prompts by time (then key), for attribution by time. */
	starts: PromptMark[];
	/** Requests folded in when they left the request table. */
	retired: UsageAccum;
	metrics: MetricsState | null;
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
const MAX_METRIC_DELTAS = 256;
const MAX_METRIC_MODELS = 32;
const MAX_PROMPT_TEXT = 200;
const TEN_MINUTES = 10 * 60_000;
const HOUR = 3_600_000;

function sessionKeyOf(rec: EventRecord): string {
	return idOf(rec.session) ?? '';
}

/** Transcript `costSource` → the cost bucket. */
function txSource(value: unknown): CostKey | null {
	if (value === 'transcript costUSD') return 'transcript';
	if (value === 'priced here') return 'pricedHere';
	return null;
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
		return this.compute(now, (key) => only === null || key === only) as UsageSnapshot;
	}

	/** Per-session totals only (what `GET /api/usage` sends): no prompts, subagents or tool calls. */
	totals(now: number): UsageTotalsSnapshot {
		return this.compute(now, null);
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
			const f = this.figures(entry);
			if (f.usd !== null && f.time >= since) nano += toNano(f.usd);
		}
		for (const s of this.sessions.values()) {
			if (s.metrics === null || counted.has(s.key) || s.retired.requests > 0) continue;
			for (const d of s.metrics.deltas) if (d.time >= since) nano += d.nano;
		}
		this.costMemo = {changes: this.costChanges, since, usd: nano / 1e9};
		return nano / 1e9;
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
			else s.retired.addRequest(this.figures(entry));
		}
	}

	private applyTelemetryRequest(rec: EventRecord, t: number): void {
		const p = rec.payload;
		const sessionKey = sessionKeyOf(rec);
		this.session(sessionKey, t);
		const requestId = idOf(own(p, 'request_id'));
		const entry = this.request(sessionKey, requestId === null ? `otel:${rec.id}` : `r:${requestId}`);
		const tokens = otelTokens(p);
		const model = idOf(own(p, 'model'));
		const usd = usdOf(own(p, 'cost_usd'));
		let priced: number | null = null;
		if (usd === null && tokens !== null && model !== null) {
			const price = priceOf(
				{
					model,
					inputTokens: tokens.input,
					outputTokens: tokens.output,
					cacheCreationTokens: tokens.cacheWrite,
					cacheCreation5mTokens: null,
					cacheCreation1hTokens: null,
					cacheReadTokens: tokens.cacheRead,
					costUSD: null,
					speed: idOf(own(p, 'speed')),
				},
				this.prices,
			);
			priced = price.usd;
		}
		entry.tel = {
			time: t,
			promptId: promptIdOf(rec),
			model,
			usd,
			priced,
			apiMs: countOf(own(p, 'duration_ms')) ?? 0,
			tokens,
		};
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
		const replaces = own(p, 'replaces');
		if (typeof replaces === 'object' && replaces !== null && !Array.isArray(replaces)) {
			const r = replaces as Record<string, unknown>;
			const oldRequest = idOf(own(r, 'requestId'));
			const oldMessage = idOf(own(r, 'messageId'));
			const oldKey =
				oldRequest === null ? (oldMessage === null ? null : `m:${oldMessage}`) : `r:${oldRequest}`;
			if (oldKey !== null && oldKey !== requestKey) {
				const full = `${sessionKey}\u0000${oldKey}`;
				this.replaced.add(full);
				const old = this.entries.get(full);
				if (old !== undefined && old.kind === 'request') {
					old.tx = null;
					if (old.tel === null) this.entries.delete(full);
				}
			}
		}
		const entry = this.request(sessionKey, requestKey);
		if (entry.tx !== null && entry.tx.revision >= revision) return;
		entry.tx = {
			time: t,
			revision,
			promptId: idOf(own(p, 'promptId')),
			model: idOf(own(p, 'model')),
			usd: usdOf(own(p, 'costUSD')),
			source: txSource(own(p, 'costSource')),
			tokens: transcriptTokens(p),
			agentId: idOf(rec.agentId),
			agentType: idOf(rec.agentType),
		};
	}

	private applyMetrics(rec: EventRecord, t: number): void {
		const list = own(rec.payload, 'sessions');
		if (!Array.isArray(list)) return;
		const time = timeOf(
			{
				...rec,
				time: typeof own(rec.payload, 'time') === 'string' ? (own(rec.payload, 'time') as string) : rec.time,
			},
			t,
		);
		for (const item of list.slice(0, 1000)) {
			if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
			const o = item as Record<string, unknown>;
			const s = this.session(idOf(own(o, 'session')) ?? '', time);
			s.metrics ??= {nano: 0, tokens: emptyTokens(), models: new Map(), deltas: []};
			const m: MetricsState = s.metrics;
			const nano = toNano(usdOf(own(o, 'cost_usd')) ?? 0);
			const tokens = metricTokens(own(o, 'tokens'));
			m.nano += nano;
			addInto(m.tokens, tokens);
			m.deltas.push({time, nano});
			if (m.deltas.length > MAX_METRIC_DELTAS) m.deltas.shift();
			const models = own(o, 'models');
			for (const mm of Array.isArray(models) ? models.slice(0, MAX_METRIC_MODELS) : []) {
				if (typeof mm !== 'object' || mm === null || Array.isArray(mm)) continue;
				const name = idOf(own(mm as Record<string, unknown>, 'model'));
				if (name === null) continue;
				let sum = m.models.get(name);
				if (sum === undefined) {
					if (m.models.size >= MAX_METRIC_MODELS) continue;
					sum = {model: name, nano: 0, tokens: emptyTokens()};
					m.models.set(name, sum);
				}
				sum.nano += toNano(usdOf(own(mm as Record<string, unknown>, 'cost_usd')) ?? 0);
				addInto(sum.tokens, metricTokens(own(mm as Record<string, unknown>, 'tokens')));
			}
		}
	}

	private applyPrompt(rec: EventRecord, t: number): void {
		const promptId = promptIdOf(rec);
		// A telemetry user_prompt without prompt.id adds nothing the hook's UserPromptSubmit does not.
		if (promptId === null && rec.type !== 'UserPromptSubmit') return;
		const s = this.session(sessionKeyOf(rec), t);
		const key = promptId ?? `@${rec.id}`;
		const raw = own(rec.payload, 'prompt');
		const text =
			typeof raw === 'string' && raw !== '' && raw !== '<REDACTED>' ? raw.slice(0, MAX_PROMPT_TEXT) : null;
		const known = s.prompts.get(key);
		if (known !== undefined) {
			if (known.text === null) known.text = text;
			if (t >= known.time) return;
			s.starts.splice(s.starts.indexOf(known), 1);
			known.time = t;
			insertMark(s.starts, known);
			return;
		}
		const mark: PromptMark = {key, promptId, time: t, text};
		s.prompts.set(key, mark);
		insertMark(s.starts, mark);
		if (s.starts.length > this.maxPrompts) s.prompts.delete(s.starts.shift()!.key);
	}

	private applyTool(rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec);
		if (id === null) return;
		const sessionKey = sessionKeyOf(rec);
		this.session(sessionKey, t);
		let tool = this.tools.get(id);
		if (tool === undefined) {
			tool = {
				toolUseId: id,
				session: sessionKey,
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
			this.tools.set(id, tool);
			if (this.tools.size > this.maxToolCalls)
				trimMap(this.tools, this.maxToolCalls, (c) => c.end !== null || c.durationMs !== null);
		}
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
				tool.decisionSource =
					idOf(own(p, 'source')) ?? idOf(own(p, 'decision_source')) ?? tool.decisionSource;
				break;
		}
	}

	// ----- read -----

	/** A request's figures: telemetry's where it has them, else the transcript's. */
	private figures(entry: RequestEntry): RequestFigures & {
		time: number;
		promptId: string | null;
		agentId: string | null;
		agentType: string | null;
	} {
		const {tel, tx} = entry;
		let usd: number | null = null;
		let source: CostKey | null = null;
		if (tel !== null && tel.usd !== null) {
			usd = tel.usd;
			source = 'telemetry';
		} else if (tx !== null && tx.usd !== null && tx.source !== null) {
			usd = tx.usd;
			source = tx.source;
		} else if (tel !== null && tel.priced !== null) {
			usd = tel.priced;
			source = 'pricedHere';
		}
		return {
			time: tel?.time ?? tx?.time ?? 0,
			tokens: tel?.tokens ?? tx?.tokens ?? emptyTokens(),
			usd,
			source,
			apiMs: tel?.apiMs ?? 0,
			model: tel?.model ?? tx?.model ?? null,
			promptId: tel?.promptId ?? tx?.promptId ?? null,
			agentId: tx?.agentId ?? null,
			agentType: tx?.agentType ?? null,
		};
	}

	/** `detailOf`: which sessions get breakdowns (null: none, and the rows have no `prompts`/`subagents` fields). */
	private compute(
		now: number,
		detailOf: ((sessionKey: string) => boolean) | null,
	): UsageTotalsSnapshot | UsageSnapshot {
		const from = now - this.burnWindowMs;
		const perHour = HOUR / this.burnWindowMs;
		interface Work {
			acc: UsageAccum;
			detail: boolean;
			burnNano: number;
			toolCalls: number;
			prompts: Map<string, {acc: UsageAccum; tools: ToolUsage[]}>;
			agents: Map<string, {acc: UsageAccum; type: string | null}>;
		}
		const work = new Map<string, Work>();
		for (const [key, s] of this.sessions) {
			const acc = new UsageAccum();
			acc.add(s.retired);
			work.set(key, {
				acc,
				detail: detailOf !== null && detailOf(key),
				burnNano: 0,
				toolCalls: 0,
				prompts: new Map(),
				agents: new Map(),
			});
		}
		const promptOf = (w: Work, s: SessionState, promptId: string | null, time: number) => {
			const key = promptId ?? attribute(s.starts, time);
			let p = w.prompts.get(key);
			if (p === undefined) {
				p = {acc: new UsageAccum(), tools: []};
				w.prompts.set(key, p);
			}
			return p;
		};
		for (const entry of this.entries.values()) {
			const w = work.get(entry.session);
			const s = this.sessions.get(entry.session);
			if (w === undefined || s === undefined) continue;
			if (entry.kind === 'error') {
				w.acc.errors++;
				if (w.detail) promptOf(w, s, entry.promptId, entry.time).acc.errors++;
				continue;
			}
			const f = this.figures(entry);
			w.acc.addRequest(f);
			if (f.usd !== null && f.time > from && f.time <= now) w.burnNano += toNano(f.usd);
			if (!w.detail) continue;
			promptOf(w, s, f.promptId, f.time).acc.addRequest(f);
			if (f.agentId !== null) {
				let a = w.agents.get(f.agentId);
				if (a === undefined) {
					a = {acc: new UsageAccum(), type: f.agentType};
					w.agents.set(f.agentId, a);
				}
				a.acc.addRequest(f);
			}
		}
		for (const tool of this.tools.values()) {
			const w = work.get(tool.session);
			const s = this.sessions.get(tool.session);
			if (w === undefined || s === undefined) continue;
			w.toolCalls++;
			if (!w.detail) continue;
			const p = promptOf(w, s, tool.promptId, tool.start ?? tool.first);
			p.tools.push(toolRow(tool, tool.promptId ?? attribute(s.starts, tool.start ?? tool.first)));
		}

		const total = new UsageAccum();
		let totalBurn = 0;
		const rows: Array<SessionUsageTotals | SessionUsage> = [];
		const ordered = [...this.sessions.values()].sort(
			(a, b) => b.last - a.last || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
		);
		for (const s of ordered) {
			const w = work.get(s.key)!;
			let basis: SessionUsageTotals['basis'] = 'none';
			let acc = w.acc;
			let burnNano = w.burnNano;
			if (acc.requests > 0) basis = 'requests';
			else if (s.metrics !== null) {
				basis = 'metrics';
				acc = new UsageAccum();
				acc.errors = w.acc.errors;
				acc.addMetrics(s.metrics.nano, s.metrics.tokens, s.metrics.models.values());
				burnNano = 0;
				for (const d of s.metrics.deltas) if (d.time > from && d.time <= now) burnNano += d.nano;
			}
			total.add(acc);
			totalBurn += burnNano;
			const row: SessionUsageTotals = {
				session: s.key === '' ? null : s.key,
				basis,
				...acc.totals(),
				burnUSDPerHour: (burnNano / 1e9) * perHour,
				firstTime: new Date(s.first).toISOString(),
				lastTime: new Date(s.last).toISOString(),
				metrics: s.metrics === null ? null : {costUSD: s.metrics.nano / 1e9, tokens: {...s.metrics.tokens}},
				toolCalls: w.toolCalls,
			};
			if (detailOf === null) {
				rows.push(row);
				continue;
			}
			if (!w.detail) {
				rows.push({...row, prompts: [], subagents: []});
				continue;
			}
			const prompts: PromptUsage[] = [...w.prompts].map(([key, p]) => {
				const mark = s.prompts.get(key);
				const time = mark?.time ?? null;
				return {
					key,
					promptId: mark ? mark.promptId : key === '' || key.startsWith('@') ? null : key,
					time: time === null ? null : new Date(time).toISOString(),
					text: mark?.text ?? null,
					...p.acc.totals(),
					tools: p.tools.sort((a, b) =>
						(a.start ?? '') < (b.start ?? '')
							? -1
							: (a.start ?? '') > (b.start ?? '')
								? 1
								: a.toolUseId < b.toolUseId
									? -1
									: 1,
					),
				};
			});
			// Prompts with nothing attributed yet are listed too (a prompt just submitted).
			for (const mark of s.starts)
				if (!w.prompts.has(mark.key))
					prompts.push({
						key: mark.key,
						promptId: mark.promptId,
						time: new Date(mark.time).toISOString(),
						text: mark.text,
						...new UsageAccum().totals(),
						tools: [],
					});
			prompts.sort((a, b) =>
				(a.time ?? '') < (b.time ?? '')
					? -1
					: (a.time ?? '') > (b.time ?? '')
						? 1
						: a.key < b.key
							? -1
							: a.key > b.key
								? 1
								: 0,
			);
			const subagents: SubagentUsage[] = [...w.agents].map(([agentId, a]) => ({
				agentId,
				agentType: a.type,
				...a.acc.totals(),
			}));
			subagents.sort((a, b) => b.costUSD - a.costUSD || (a.agentId < b.agentId ? -1 : 1));
			rows.push({...row, prompts, subagents});
		}
		return {
			now: new Date(now).toISOString(),
			total: {...total.totals(), burnUSDPerHour: (totalBurn / 1e9) * perHour, sessions: rows.length},
			sessions: rows,
			hooks: this.hooks.snapshot(),
		};
	}
}

function addInto(into: TokenTotals, from: TokenTotals): void {
	into.input += from.input;
	into.output += from.output;
	into.cacheWrite += from.cacheWrite;
	into.cacheRead += from.cacheRead;
}

/** `otel.metrics` token counts (`input`, `output`, `cacheRead`, `cacheCreation`). */
function metricTokens(value: unknown): TokenTotals {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return emptyTokens();
	const o = value as Record<string, unknown>;
	return {
		input: countOf(own(o, 'input')) ?? 0,
		output: countOf(own(o, 'output')) ?? 0,
		cacheWrite: countOf(own(o, 'cacheCreation')) ?? 0,
		cacheRead: countOf(own(o, 'cacheRead')) ?? 0,
	};
}

function markBefore(a: PromptMark, b: PromptMark): boolean {
	return a.time < b.time || (a.time === b.time && a.key < b.key);
}

function insertMark(starts: PromptMark[], mark: PromptMark): void {
	let lo = 0;
	let hi = starts.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (markBefore(starts[mid], mark)) lo = mid + 1;
		else hi = mid;
	}
	starts.splice(lo, 0, mark);
}

/** The key of the last prompt at or before `time`, or `` when none. */
function attribute(starts: PromptMark[], time: number): string {
	let lo = 0;
	let hi = starts.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (starts[mid].time <= time) lo = mid + 1;
		else hi = mid;
	}
	return lo === 0 ? '' : starts[lo - 1].key;
}

function iso(t: number | null): string | null {
	return t === null ? null : new Date(t).toISOString();
}

function toolRow(tool: ToolState, prompt: string): ToolUsage {
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
