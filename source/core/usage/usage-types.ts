/**
 * What the usage join (usage-view.ts) answers: per session, prompt, subagent and tool call, and
 * the hook health table. Types only; `GET /api/usage` and the Socket.IO `usage` request send the
 * session-level part of the same shapes (core/wire.ts).
 */

export interface TokenTotals {
	input: number;
	output: number;
	/** Cache writes (5 m and 1 h together). */
	cacheWrite: number;
	cacheRead: number;
}

/** Where the dollars came from, summed per source. */
export interface CostBySource {
	/** The `cost_usd` of telemetry's `claude_code.api_request`. */
	telemetry: number;
	/** The `costUSD` a transcript line carried (`costSource: "transcript costUSD"`). */
	transcript: number;
	/** Tokens × the price table (the transcript follower's `"priced here"`, or a telemetry request without `cost_usd`). */
	pricedHere: number;
	/** Telemetry metrics (`claude_code.cost.usage`), for a session with no request-level record. */
	metrics: number;
}

export type CostSource = 'telemetry' | 'transcript' | 'priced here' | 'metrics' | 'mixed';

export interface ModelTotals {
	model: string;
	requests: number;
	costUSD: number;
	tokens: TokenTotals;
}

export interface UsageTotals {
	tokens: TokenTotals;
	costUSD: number;
	cost: CostBySource;
	/** The single source of all the dollars, `mixed`, or null when none is known. */
	costSource: CostSource | null;
	/** Requests whose cost is not known (no cost given and no price for the model). */
	unpriced: number;
	/** Sum of telemetry's `duration_ms` of the requests (transcripts have no durations). */
	apiMs: number;
	requests: number;
	/** `claude_code.api_error` events. */
	errors: number;
	/** Most expensive first. */
	models: ModelTotals[];
}

/** One tool call: telemetry's result and decision beside the hook's timing. */
export interface ToolUsage {
	toolUseId: string;
	tool: string | null;
	agentId: string | null;
	/** The prompt's key (see PromptUsage.key), or null before the session's first prompt. */
	prompt: string | null;
	/** ISO times of the first hook event (PreToolUse) and the end (PostToolUse / PostToolUseFailure). */
	start: string | null;
	end: string | null;
	/** The hook's own `duration_ms`, else end − start; null while running or unknown. */
	hookMs: number | null;
	hookStatus: 'running' | 'ok' | 'failed' | null;
	/** Telemetry's `tool_result`: `duration_ms`, `success`, `error_type`. */
	durationMs: number | null;
	success: boolean | null;
	error: string | null;
	/** Telemetry's `tool_decision` (`accept`, `reject`) and its `source` (`config`, `user_permanent`, …), else tool_result's `decision_type` / `decision_source`. */
	decision: string | null;
	decisionSource: string | null;
}

export interface PromptUsage extends UsageTotals {
	/** The prompt id (hook `prompt_id` ↔ telemetry `prompt.id`), or `@<record id>` for a UserPromptSubmit without one, or `` for what came before the first prompt. */
	key: string;
	promptId: string | null;
	/** ISO time the prompt was submitted (its first known event), or null. */
	time: string | null;
	/** The prompt's text from UserPromptSubmit (cut to 200 characters), or null. */
	text: string | null;
	tools: ToolUsage[];
}

export interface SubagentUsage extends UsageTotals {
	agentId: string;
	agentType: string | null;
}

/** The telemetry metrics' own figures for a session (`otel.metrics` deltas summed). */
export interface MetricsTotals {
	costUSD: number;
	tokens: TokenTotals;
}

/** A session's totals without the breakdowns: what `GET /api/usage` sends. */
export interface SessionUsageTotals extends UsageTotals {
	session: string | null;
	/** `requests`: the numbers come from requests (telemetry events and transcripts); `metrics`: only metrics were seen. */
	basis: 'requests' | 'metrics' | 'none';
	/** $/h over the last 10 minutes. */
	burnUSDPerHour: number;
	firstTime: string | null;
	lastTime: string | null;
	metrics: MetricsTotals | null;
	toolCalls: number;
}

export interface SessionUsage extends SessionUsageTotals {
	/** Oldest first; the `` key (before the first prompt) first when present. */
	prompts: PromptUsage[];
	/** Most expensive first. */
	subagents: SubagentUsage[];
}

/** `claude_code.hook_execution_complete` summed per hook event type. */
export interface HookHealth {
	event: string;
	/** hook_execution_complete events seen. */
	runs: number;
	succeeded: number;
	nonBlockingErrors: number;
	blocking: number;
	totalMs: number;
	maxMs: number;
	/** totalMs / runs. */
	meanMs: number;
}

export interface UsageTotalsSnapshot {
	/** ISO time the burn rates are computed for. */
	now: string;
	total: UsageTotals & {burnUSDPerHour: number; sessions: number};
	/** Most recently active first. */
	sessions: SessionUsageTotals[];
	/** Most errors first, then slowest. */
	hooks: HookHealth[];
}

export interface UsageSnapshot extends UsageTotalsSnapshot {
	sessions: SessionUsage[];
}
