/**
 * One Claude Code session with two prompts, a subagent and tool calls, told by all three sources
 * (hook events, telemetry log events, a transcript), and the numbers computed by hand from the
 * figures below (not by the code under test). Used by the core test (records built here) and the
 * end-to-end test (the same facts sent to a real server as hook posts, OTLP JSON and a
 * transcript file).
 */
import assert from 'node:assert/strict';

export const SESSION = 'sess-usage-1';
export const METRICS_ONLY = 'sess-metrics-only';
/** Times below (`at`, `pre`, `post`) are ms after the session's start, which each test chooses. */
export const T0 = Date.parse('2026-11-30T10:00:00.000Z');
export const SONNET = 'claude-sonnet-4-5-20250929';
export const HAIKU = 'claude-haiku-4-5-20251001';
export const OPUS = 'claude-opus-4-6';

export interface TelRequest {
	requestId: string;
	at: number;
	promptId: string;
	model: string;
	cost: number;
	durationMs: number;
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
	agentName?: string;
}

export interface TxRequest {
	requestId: string;
	messageId: string;
	at: number;
	model: string;
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
	/** The line's own costUSD, or null (then the follower prices it). */
	costUSD: number | null;
	agentId?: string;
}

/** Telemetry's api_request events. r1 is also in the transcript; r2 is only in the transcript. */
export const TEL: TelRequest[] = [
	{
		requestId: 'req_r1',
		at: 1000,
		promptId: 'p1',
		model: SONNET,
		cost: 0.01,
		durationMs: 1500,
		input: 100,
		output: 50,
		cacheRead: 1000,
		cacheWrite: 200,
	},
	{
		requestId: 'req_r3',
		at: 11_000,
		promptId: 'p2',
		model: OPUS,
		cost: 0.03,
		durationMs: 2000,
		input: 300,
		output: 100,
		cacheRead: 2000,
		cacheWrite: 0,
	},
	{
		requestId: 'req_r4',
		at: 12_000,
		promptId: 'p2',
		model: HAIKU,
		cost: 0.0045,
		durationMs: 900,
		input: 40,
		output: 60,
		cacheRead: 0,
		cacheWrite: 0,
		agentName: 'Explore',
	},
];

/** Transcript requests: r1 (same as telemetry's, with another cost that must not count), r2 (only here), r4 (the subagent's file). */
export const TX: TxRequest[] = [
	{
		requestId: 'req_r1',
		messageId: 'msg_1',
		at: 1000,
		model: SONNET,
		input: 100,
		output: 50,
		cacheRead: 1000,
		cacheWrite: 200,
		costUSD: 0.02,
	},
	{
		requestId: 'req_r2',
		messageId: 'msg_2',
		at: 3000,
		model: SONNET,
		input: 10,
		output: 20,
		cacheRead: 500,
		cacheWrite: 0,
		costUSD: 0.005,
	},
	{
		requestId: 'req_r4',
		messageId: 'msg_4',
		at: 12_000,
		model: HAIKU,
		input: 40,
		output: 60,
		cacheRead: 0,
		cacheWrite: 0,
		costUSD: 0.004,
		agentId: 'ag1',
	},
];

export const PROMPTS = [
	{promptId: 'p1', at: 0, text: 'fix the failing test'},
	{promptId: 'p2', at: 10_000, text: 'now explore the parser'},
];

/** Hook tool calls and telemetry's word on them. */
export const TOOLS = {
	t1: {
		id: 'toolu_t1',
		tool: 'Bash',
		promptId: 'p1',
		pre: 2000,
		post: 2500,
		hookDurationMs: 400,
		failed: false,
		telDurationMs: 380,
		success: true,
		decision: 'accept',
		decisionSource: 'config',
	},
	t2: {
		id: 'toolu_t2',
		tool: 'Agent',
		promptId: 'p2',
		pre: 11_500,
		post: 14_000,
		hookDurationMs: null,
		failed: true,
		telDurationMs: null,
		success: null,
		decision: null,
		decisionSource: null,
	},
};

export const API_ERROR = {at: 13_000, promptId: 'p2', model: OPUS, statusCode: '529'};

export const HOOK_RUNS = [
	{event: 'PreToolUse', at: 1900, success: 2, nonBlocking: 1, ms: 45},
	{event: 'PreToolUse', at: 11_400, success: 1, nonBlocking: 0, ms: 15},
];

/** Metrics for the joined session (must not add to its totals) and for a session known only by metrics. */
export const METRICS = [
	{
		session: SESSION,
		at: 20_000,
		cost: 0.05,
		input: 450,
		output: 230,
		cacheRead: 3500,
		cacheWrite: 200,
		model: SONNET,
	},
	{
		session: METRICS_ONLY,
		at: 5000,
		cost: 0.2,
		input: 1000,
		output: 10,
		cacheRead: 0,
		cacheWrite: 0,
		model: OPUS,
	},
];

/** By hand, from the tables above. */
export const EXPECTED = {
	session: {
		requests: 4,
		tokens: {
			input: 100 + 10 + 300 + 40,
			output: 50 + 20 + 100 + 60,
			cacheWrite: 200,
			cacheRead: 1000 + 500 + 2000,
		},
		// r1 0.01 (telemetry, not the transcript's 0.02), r2 0.005 (transcript), r3 0.03, r4 0.0045 (telemetry, not 0.004).
		cost: {telemetry: 0.01 + 0.03 + 0.0045, transcript: 0.005, pricedHere: 0, metrics: 0},
		costUSD: 0.0495,
		costSource: 'mixed',
		apiMs: 1500 + 2000 + 900,
		errors: 1,
		toolCalls: 2,
		models: [
			{model: OPUS, requests: 1, costUSD: 0.03},
			{model: SONNET, requests: 2, costUSD: 0.015},
			{model: HAIKU, requests: 1, costUSD: 0.0045},
		],
		metrics: {costUSD: 0.05},
	},
	prompts: [
		{
			promptId: 'p1',
			requests: 2,
			costUSD: 0.015,
			apiMs: 1500,
			errors: 0,
			tools: ['toolu_t1'],
			tokens: {input: 110, output: 70, cacheWrite: 200, cacheRead: 1500},
		},
		{
			promptId: 'p2',
			requests: 2,
			costUSD: 0.0345,
			apiMs: 2900,
			errors: 1,
			tools: ['toolu_t2'],
			tokens: {input: 340, output: 160, cacheWrite: 0, cacheRead: 2000},
		},
	],
	subagent: {
		agentId: 'ag1',
		requests: 1,
		costUSD: 0.0045,
		costSource: 'telemetry',
		tokens: {input: 40, output: 60, cacheWrite: 0, cacheRead: 0},
	},
	metricsOnly: {
		costUSD: 0.2,
		basis: 'metrics',
		requests: 0,
		tokens: {input: 1000, output: 10, cacheWrite: 0, cacheRead: 0},
	},
	/** At 14 s every cost above is within the last 10 minutes: $/h = 6 × the sum. */
	burn: {session: 0.0495 * 6, metricsOnly: 0.2 * 6, total: (0.0495 + 0.2) * 6},
	totalCostUSD: 0.0495 + 0.2,
	hooks: {
		event: 'PreToolUse',
		runs: 2,
		succeeded: 3,
		nonBlockingErrors: 1,
		blocking: 0,
		totalMs: 60,
		maxMs: 45,
		meanMs: 30,
	},
};

export function close(actual: number, expected: number, what: string): void {
	if (Math.abs(actual - expected) > 1e-9) throw new Error(`${what}: ${actual} is not ${expected}`);
}

interface Totals {
	requests: number;
	tokens: {input: number; output: number; cacheWrite: number; cacheRead: number};
	costUSD: number;
	cost: {telemetry: number; transcript: number; pricedHere: number; metrics: number};
	costSource: string | null;
	apiMs: number;
	errors: number;
	models: Array<{model: string; requests: number; costUSD: number}>;
}

/** The session-level numbers (what `/api/usage` and `views.usage()` both carry). */
export function checkTotals(answer: {
	total: Totals & {burnUSDPerHour: number; sessions: number};
	sessions: Array<
		Totals & {
			session: string | null;
			basis: string;
			burnUSDPerHour: number;
			toolCalls: number;
			metrics: {costUSD: number} | null;
		}
	>;
	hooks: any[];
}): void {
	const s = answer.sessions.find((row) => row.session === SESSION);
	assert.ok(s, 'the joined session is listed');
	const e = EXPECTED.session;
	assert.equal(s.basis, 'requests');
	assert.equal(s.requests, e.requests, 'requests: r1 from both sources counted once');
	assert.deepEqual(s.tokens, e.tokens);
	for (const key of ['telemetry', 'transcript', 'pricedHere', 'metrics'] as const)
		close(s.cost[key], e.cost[key], `cost.${key}`);
	close(s.costUSD, e.costUSD, 'session $');
	assert.equal(s.costSource, e.costSource);
	assert.equal(s.apiMs, e.apiMs);
	assert.equal(s.errors, e.errors);
	assert.equal(s.toolCalls, e.toolCalls);
	assert.deepEqual(
		s.models.map((m) => [m.model, m.requests]),
		e.models.map((m) => [m.model, m.requests]),
	);
	s.models.forEach((m, i) => close(m.costUSD, e.models[i].costUSD, `model ${m.model} $`));
	assert.ok(s.metrics, 'the metrics are shown beside');
	close(s.metrics.costUSD, e.metrics.costUSD, 'metrics $');
	close(s.burnUSDPerHour, EXPECTED.burn.session, 'session burn');
	const m = answer.sessions.find((row) => row.session === METRICS_ONLY);
	assert.ok(m, 'the metrics-only session is listed');
	assert.equal(m.basis, 'metrics');
	assert.equal(m.requests, 0);
	assert.deepEqual(m.tokens, EXPECTED.metricsOnly.tokens);
	close(m.costUSD, EXPECTED.metricsOnly.costUSD, 'metrics-only $');
	assert.equal(m.costSource, 'metrics');
	close(m.burnUSDPerHour, EXPECTED.burn.metricsOnly, 'metrics-only burn');
	close(answer.total.costUSD, EXPECTED.totalCostUSD, 'total $');
	close(answer.total.burnUSDPerHour, EXPECTED.burn.total, 'total burn');
	assert.equal(answer.total.requests, 4);
	const hook = answer.hooks.find((h) => h.event === EXPECTED.hooks.event);
	assert.deepEqual(hook, EXPECTED.hooks);
}

/** Prompts, subagents and tool calls (`views.usage()` only). */
export function checkDetail(session: {prompts: any[]; subagents: any[]}): void {
	const prompts = session.prompts.filter((p) => p.requests > 0 || p.tools.length > 0 || p.errors > 0);
	assert.deepEqual(
		prompts.map((p) => p.promptId),
		['p1', 'p2'],
		'nothing before the first prompt',
	);
	EXPECTED.prompts.forEach((e, i) => {
		const p = prompts[i];
		assert.equal(p.requests, e.requests, `${e.promptId} requests`);
		close(p.costUSD, e.costUSD, `${e.promptId} $`);
		assert.equal(p.apiMs, e.apiMs, `${e.promptId} API time`);
		assert.equal(p.errors, e.errors, `${e.promptId} errors`);
		assert.deepEqual(p.tokens, e.tokens, `${e.promptId} tokens`);
		assert.deepEqual(
			p.tools.map((t: any) => t.toolUseId),
			e.tools,
			`${e.promptId} tools`,
		);
	});
	assert.equal(prompts[0].text, PROMPTS[0].text);
	const t1 = prompts[0].tools[0];
	assert.deepEqual(
		{
			tool: t1.tool,
			hookMs: t1.hookMs,
			hookStatus: t1.hookStatus,
			durationMs: t1.durationMs,
			success: t1.success,
			decision: t1.decision,
			decisionSource: t1.decisionSource,
		},
		{
			tool: 'Bash',
			hookMs: TOOLS.t1.hookDurationMs,
			hookStatus: 'ok',
			durationMs: TOOLS.t1.telDurationMs,
			success: true,
			decision: TOOLS.t1.decision,
			decisionSource: TOOLS.t1.decisionSource,
		},
	);
	const t2 = prompts[1].tools[0];
	assert.deepEqual(
		{hookMs: t2.hookMs, hookStatus: t2.hookStatus, durationMs: t2.durationMs},
		{hookMs: TOOLS.t2.post - TOOLS.t2.pre, hookStatus: 'failed', durationMs: null},
	);
	assert.equal(session.subagents.length, 1);
	const a = session.subagents[0];
	const e = EXPECTED.subagent;
	assert.deepEqual(
		{agentId: a.agentId, requests: a.requests, costSource: a.costSource, tokens: a.tokens},
		{agentId: e.agentId, requests: e.requests, costSource: e.costSource, tokens: e.tokens},
	);
	close(a.costUSD, e.costUSD, 'subagent $');
}
