/**
 * The usage join (core/usage/usage-view.ts) and its place in the views bundle: one session told by
 * hook events, telemetry and a transcript gives the hand-computed numbers (helpers/usage-scenario.ts);
 * the rules hold whatever the order and however often a record comes (fast-check); memory stays
 * within the caps, and what leaves the request table still counts in its session's totals.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import type {EventRecord} from '../source/core/record.js';
import {normalize} from '../source/core/normalize.js';
import {createViews} from '../source/core/views/index.js';
import {UsageView} from '../source/core/usage/usage-view.js';
import {
	API_ERROR,
	HOOK_RUNS,
	METRICS,
	PROMPTS,
	SESSION,
	T0,
	TEL,
	TOOLS,
	TX,
	checkDetail,
	checkTotals,
	close,
} from './helpers/usage-scenario.js';

const iso = (t: number) => new Date(t).toISOString();
let n = 0;

function otel(
	type: string,
	at: number,
	attributes: Record<string, unknown>,
	session: string = SESSION,
): EventRecord {
	n++;
	return {
		seq: n,
		id: `otel-${n}`,
		time: iso(at),
		received: iso(at),
		session,
		type,
		tool: (attributes.tool_name as string) ?? null,
		toolUseId: (attributes.tool_use_id as string) ?? null,
		agentId: null,
		agentType: null,
		cwd: null,
		summary: '',
		source: 'otel',
		payload: {'session.id': session, ...attributes},
	};
}

function hook(at: number, payload: Record<string, unknown>): EventRecord {
	n++;
	const r = normalize(
		{
			session_id: SESSION,
			transcript_path: '/home/u/.claude/projects/-repo/x.jsonl',
			cwd: '/repo',
			...payload,
		},
		{id: `hook-${n}`, receivedAt: iso(at), source: 'hook'},
	);
	if (!r.ok) throw new Error(r.error);
	return {seq: n, ...r.record};
}

function transcript(
	tx: (typeof TX)[number],
	options: {revision?: number; id?: string; output?: number} = {},
): EventRecord {
	n++;
	const revision = options.revision ?? 1;
	return {
		seq: n,
		id: options.id ?? `tx-${tx.requestId}-${revision}`,
		time: iso(T0 + tx.at),
		received: iso(T0 + tx.at),
		session: SESSION,
		type: 'transcript.usage',
		tool: null,
		toolUseId: null,
		agentId: tx.agentId ?? null,
		agentType: tx.agentId ? 'Explore' : null,
		cwd: '/repo',
		summary: '',
		source: 'transcript',
		payload: {
			requestId: tx.requestId,
			messageId: tx.messageId,
			model: tx.model,
			inputTokens: tx.input,
			outputTokens: options.output ?? tx.output,
			cacheCreationTokens: tx.cacheWrite,
			cacheCreation5mTokens: null,
			cacheCreation1hTokens: null,
			cacheReadTokens: tx.cacheRead,
			costUSD: tx.costUSD,
			costSource: 'transcript costUSD',
			speed: null,
			isSidechain: false,
			promptId: null,
			sessionId: SESSION,
			revision,
			replaces:
				revision > 1 ? {messageId: tx.messageId, requestId: tx.requestId, revision: revision - 1} : null,
		},
	};
}

function telRequest(r: (typeof TEL)[number]): EventRecord {
	return otel('claude_code.api_request', T0 + r.at, {
		'prompt.id': r.promptId,
		request_id: r.requestId,
		model: r.model,
		cost_usd: r.cost,
		duration_ms: r.durationMs,
		// int64 attributes may come as strings: the join reads both.
		input_tokens: String(r.input),
		output_tokens: r.output,
		cache_read_tokens: r.cacheRead,
		cache_creation_tokens: r.cacheWrite,
		...(r.agentName ? {'agent.name': r.agentName} : {}),
	});
}

function metrics(m: (typeof METRICS)[number]): EventRecord {
	n++;
	const tokens = {input: m.input, output: m.output, cacheRead: m.cacheRead, cacheCreation: m.cacheWrite};
	return {
		seq: n,
		id: `metrics-${n}`,
		time: iso(T0 + m.at),
		received: iso(T0 + m.at),
		session: m.session,
		type: 'otel.metrics',
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: null,
		summary: '',
		source: 'otel',
		payload: {
			total: {cost_usd: m.cost, ...tokens},
			sessions: [
				{
					session: m.session,
					cost_usd: m.cost,
					tokens,
					models: [{model: m.model, cost_usd: m.cost, tokens}],
					counters: [],
				},
			],
			points: 5,
			ignored: 0,
			baseline: 0,
			time: iso(T0 + m.at),
		},
	};
}

/** Every record of the scenario, in the order they would come. */
export function scenarioRecords(): EventRecord[] {
	const out: EventRecord[] = [];
	for (const p of PROMPTS)
		out.push(
			hook(T0 + p.at, {hook_event_name: 'UserPromptSubmit', prompt: p.text, prompt_id: p.promptId}),
			otel('claude_code.user_prompt', T0 + p.at, {'prompt.id': p.promptId, prompt_length: p.text.length}),
		);
	for (const t of TEL) out.push(telRequest(t));
	for (const t of TX) out.push(transcript(t));
	for (const t of Object.values(TOOLS)) {
		const input =
			t.tool === 'Bash'
				? {command: 'npm test'}
				: {description: 'explore', prompt: 'go', subagent_type: 'Explore'};
		out.push(
			hook(T0 + t.pre, {
				hook_event_name: 'PreToolUse',
				tool_name: t.tool,
				tool_input: input,
				tool_use_id: t.id,
				prompt_id: t.promptId,
			}),
		);
		out.push(
			t.failed
				? hook(T0 + t.post, {
						hook_event_name: 'PostToolUseFailure',
						tool_name: t.tool,
						tool_input: input,
						tool_use_id: t.id,
						error: 'interrupted',
						is_interrupt: true,
						prompt_id: t.promptId,
					})
				: hook(T0 + t.post, {
						hook_event_name: 'PostToolUse',
						tool_name: t.tool,
						tool_input: input,
						tool_response: {stdout: 'ok'},
						tool_use_id: t.id,
						duration_ms: t.hookDurationMs,
						prompt_id: t.promptId,
					}),
		);
		if (t.decision)
			out.push(
				otel('claude_code.tool_decision', T0 + t.pre, {
					tool_name: t.tool,
					tool_use_id: t.id,
					decision: t.decision,
					source: t.decisionSource,
					'prompt.id': t.promptId,
				}),
			);
		if (t.telDurationMs !== null)
			out.push(
				otel('claude_code.tool_result', T0 + t.post, {
					tool_name: t.tool,
					tool_use_id: t.id,
					success: String(t.success),
					duration_ms: t.telDurationMs,
					'prompt.id': t.promptId,
				}),
			);
	}
	out.push(
		otel('claude_code.api_error', T0 + API_ERROR.at, {
			'prompt.id': API_ERROR.promptId,
			model: API_ERROR.model,
			status_code: API_ERROR.statusCode,
			attempt: 1,
		}),
	);
	for (const h of HOOK_RUNS)
		out.push(
			otel('claude_code.hook_execution_complete', T0 + h.at, {
				hook_event: h.event,
				num_success: h.success,
				num_non_blocking_error: h.nonBlocking,
				total_duration_ms: h.ms,
			}),
		);
	for (const m of METRICS) out.push(metrics(m));
	return out;
}

const NOW = T0 + 14_000;

describe('usage join: one session from hooks, telemetry and a transcript', () => {
	test('UsageView gives the hand-computed numbers', () => {
		const view = new UsageView();
		view.applyMany(scenarioRecords());
		const snap = view.snapshot(NOW);
		checkTotals(snap);
		checkDetail(snap.sessions.find((s) => s.session === SESSION)!);
		// totals() is the same per session, without the breakdowns.
		const totals = view.totals(NOW);
		checkTotals(totals);
		assert.equal('prompts' in totals.sessions[0], false);
	});

	test('views.usage(now) (the bundle the TUI reads) gives the same', () => {
		const views = createViews();
		views.applyMany(scenarioRecords());
		const snap = views.usage(NOW);
		checkTotals(snap);
		checkDetail(snap.sessions.find((s) => s.session === SESSION)!);
		// One session's breakdowns only: the same for it, none for the others.
		const one = views.usage(NOW, SESSION);
		checkTotals(one);
		checkDetail(one.sessions.find((s) => s.session === SESSION)!);
		assert.ok(
			one.sessions
				.filter((s) => s.session !== SESSION)
				.every((s) => s.prompts.length === 0 && s.subagents.length === 0),
		);
		assert.ok(views.usage(NOW, 'no-such-session').sessions.every((s) => s.prompts.length === 0));
		const version = views.version;
		views.reset();
		assert.ok(views.version > version);
		assert.equal(views.usage(NOW).sessions.length, 0);
	});

	test('the burn rate counts only the 10 minutes before now', () => {
		const view = new UsageView();
		view.applyMany(scenarioRecords());
		// r1 (T0+1 s, $0.01) and r2 (T0+3 s, $0.005) are more than 10 min before T0+10 min+5 s; r3, r4 are not.
		const snap = view.totals(T0 + 600_000 + 5000);
		const s = snap.sessions.find((row) => row.session === SESSION)!;
		close(s.burnUSDPerHour, (0.03 + 0.0045) * 6, 'burn');
		// A request after `now` does not count either.
		close(
			view.totals(T0 + 2000).sessions.find((row) => row.session === SESSION)!.burnUSDPerHour,
			0.01 * 6,
			'burn before r2',
		);
		assert.equal(view.totals(T0 + 3_600_000).total.burnUSDPerHour, 0);
	});

	test('a transcript-only request without a cost is unpriced; a telemetry request without cost_usd is priced here', () => {
		const view = new UsageView();
		const tx = {...TX[1], costUSD: null};
		const rec = transcript(tx);
		rec.payload.costSource = null;
		rec.payload.costUSD = null;
		view.apply(rec);
		const tel = telRequest({...TEL[0], requestId: 'req_nocost'});
		delete tel.payload.cost_usd;
		view.apply(tel);
		const s = view.totals(NOW).sessions[0];
		assert.equal(s.unpriced, 1);
		assert.equal(s.requests, 2);
		// claude-sonnet-4-5 from the shipped table: $3 in, $15 out, $3.75 cache write 5 m, $0.30 cache read per million.
		close(s.cost.pricedHere, (100 * 3 + 50 * 15 + 200 * 3.75 + 1000 * 0.3) / 1e6, 'priced here');
		assert.equal(s.costSource, 'priced here');
	});

	test('a later revision of a transcript request replaces the earlier one, in either order', () => {
		for (const order of [
			[1, 2],
			[2, 1],
		]) {
			const view = new UsageView();
			for (const revision of order)
				view.apply(transcript(TX[1], {revision, output: revision === 1 ? 20 : 99}));
			const s = view.totals(NOW).sessions[0];
			assert.equal(s.requests, 1);
			assert.equal(s.tokens.output, 99);
		}
	});
});

// ----- properties -----

interface Req {
	id: number;
	session: number;
	tel: boolean;
	tx: boolean;
	revisions: number;
	at: number;
	cost: number;
	tokens: number;
	prompt: number;
}

const reqArb = fc.record({
	id: fc.nat(40),
	session: fc.nat(3),
	tel: fc.boolean(),
	tx: fc.boolean(),
	revisions: fc.integer({min: 1, max: 3}),
	at: fc.nat(1_200_000),
	cost: fc.integer({min: 0, max: 1_000_000}).map((c) => c / 1e7),
	tokens: fc.nat(100_000),
	prompt: fc.nat(3),
});

function recordsOf(reqs: Req[]): EventRecord[] {
	const seen = new Set<number>();
	const out: EventRecord[] = [];
	for (const r of reqs) {
		if (seen.has(r.id)) continue;
		seen.add(r.id);
		const session = `s${r.session}`;
		const requestId = `req_${r.id}`;
		const prompts = [0, 1, 2, 3].map((p) => ({at: T0 + p * 300_000, id: `${session}-p${p}`}));
		if (r.tel || !r.tx) {
			const rec = otel(
				'claude_code.api_request',
				T0 + r.at,
				{
					request_id: requestId,
					model: 'claude-opus-4-6',
					cost_usd: r.cost,
					duration_ms: r.id * 10,
					input_tokens: r.tokens,
					output_tokens: 7,
				},
				session,
			);
			rec.id = `tel-${r.id}`;
			out.push(rec);
		}
		if (r.tx) {
			for (let v = 1; v <= r.revisions; v++) {
				const rec = transcript(
					{
						requestId,
						messageId: `msg_${r.id}`,
						at: r.at,
						model: 'claude-opus-4-6',
						input: r.tokens,
						output: v * 5,
						cacheRead: 0,
						cacheWrite: 0,
						costUSD: r.cost * 2,
						agentId: r.id % 2 === 0 ? `ag${r.id % 3}` : undefined,
					},
					{revision: v, id: `tx-${r.id}-${v}`},
				);
				rec.session = session;
				out.push(rec);
			}
		}
		if (r.id % 4 === 0) {
			const e = otel(
				'claude_code.api_error',
				T0 + r.at + 1,
				{model: 'claude-opus-4-6', status_code: '500'},
				session,
			);
			e.id = `err-${r.id}`;
			out.push(e);
		}
		// The session's prompts (the same four however often they come), and a tool call.
		for (const p of prompts) {
			const rec = hook(p.at, {
				session_id: session,
				hook_event_name: 'UserPromptSubmit',
				prompt: 'go',
				prompt_id: p.id,
			});
			rec.id = `prompt-${p.id}`;
			out.push(rec);
		}
		if (r.id % 3 === 0) {
			const h = otel(
				'claude_code.hook_execution_complete',
				T0 + r.at,
				{hook_event: 'PreToolUse', num_success: 1, num_non_blocking_error: r.id % 2, total_duration_ms: r.id},
				session,
			);
			h.id = `hook-run-${r.id}`;
			out.push(h);
		}
		const pre = hook(T0 + r.at, {
			session_id: session,
			hook_event_name: 'PreToolUse',
			tool_name: 'Read',
			tool_input: {file_path: '/a'},
			tool_use_id: `toolu_${r.id}`,
		});
		pre.id = `pre-${r.id}`;
		const tr = otel(
			'claude_code.tool_result',
			T0 + r.at + 5,
			{tool_name: 'Read', tool_use_id: `toolu_${r.id}`, success: 'true', duration_ms: 5},
			session,
		);
		tr.id = `tr-${r.id}`;
		out.push(pre, tr);
	}
	return out;
}

function shuffled<T>(items: T[], keys: number[]): T[] {
	return items
		.map((item, i) => ({item, key: keys[i % keys.length] ?? 0, i}))
		.sort((a, b) => a.key - b.key || a.i - b.i)
		.map((x) => x.item);
}

describe('usage join: properties', () => {
	test('any order, and any record sent again, gives the same snapshot', () => {
		fc.assert(
			fc.property(
				fc.array(reqArb, {minLength: 1, maxLength: 25}),
				fc.array(fc.nat(1000), {minLength: 1, maxLength: 200}),
				fc.array(fc.nat(200), {maxLength: 30}),
				(reqs, keys, again) => {
					const records = recordsOf(reqs);
					const inOrder = new UsageView();
					inOrder.applyMany(records);
					const other = new UsageView();
					const mixed = shuffled(records, keys);
					// Some records twice, the copy later in the stream.
					for (const i of again)
						if (records.length > 0) mixed.push(structuredClone(records[i % records.length]));
					other.applyMany(mixed);
					const now = T0 + 900_000;
					assert.deepEqual(other.snapshot(now), inOrder.snapshot(now));
				},
			),
			{numRuns: 150},
		);
	});

	test('a request told by both sources counts once, with telemetry’s cost', () => {
		fc.assert(
			fc.property(fc.array(reqArb, {minLength: 1, maxLength: 25}), (reqs) => {
				const view = new UsageView();
				view.applyMany(recordsOf(reqs));
				// recordsOf keeps the first of requests with the same id.
				const distinct = new Map<number, Req>();
				for (const r of reqs) if (!distinct.has(r.id)) distinct.set(r.id, r);
				const snap = view.totals(T0 + 900_000);
				assert.equal(snap.total.requests, distinct.size);
				let expectedNano = 0;
				for (const r of distinct.values())
					expectedNano += Math.round((r.tel || !r.tx ? r.cost : r.cost * 2) * 1e9);
				close(snap.total.costUSD, expectedNano / 1e9, 'total $');
				assert.equal(
					snap.total.tokens.input,
					[...distinct.values()].reduce((sum, r) => sum + r.tokens, 0),
				);
			}),
			{numRuns: 150},
		);
	});

	test('memory stays within the caps; requests that leave the table still count in their session', () => {
		const view = new UsageView({
			maxRequests: 500,
			maxSessions: 20,
			maxToolCalls: 300,
			maxPromptsPerSession: 10,
		});
		let expectedRequests = 0;
		let expectedNano = 0;
		for (let i = 0; i < 20_000; i++) {
			const session = `s${i % 7}`;
			const rec = otel(
				'claude_code.api_request',
				T0 + i * 10,
				{
					request_id: `req_${i}`,
					model: 'claude-opus-4-6',
					cost_usd: 0.001,
					duration_ms: 10,
					input_tokens: 1,
					output_tokens: 1,
				},
				session,
			);
			view.apply(rec);
			expectedRequests++;
			expectedNano += 1_000_000;
			view.apply(
				hook(T0 + i * 10, {
					session_id: session,
					hook_event_name: 'PreToolUse',
					tool_name: 'Read',
					tool_input: {file_path: '/a'},
					tool_use_id: `toolu_${i}`,
				}),
			);
			if (i % 50 === 0)
				view.apply(
					hook(T0 + i * 10, {
						session_id: session,
						hook_event_name: 'UserPromptSubmit',
						prompt: 'go',
						prompt_id: `p${i}`,
					}),
				);
			const sizes = view.sizes;
			assert.ok(
				sizes.requests <= 500 && sizes.sessions <= 20 && sizes.toolCalls <= 300 && sizes.prompts <= 20 * 10,
				JSON.stringify(sizes),
			);
		}
		const snap = view.totals(T0 + 200_000);
		assert.equal(snap.total.requests, expectedRequests);
		close(snap.total.costUSD, expectedNano / 1e9, 'total $');
		assert.equal(snap.total.apiMs, 10 * expectedRequests);
		// Many sessions: the least recently active go, with their requests and tool calls.
		const many = new UsageView({maxSessions: 20});
		for (let i = 0; i < 500; i++)
			many.apply(otel('claude_code.api_request', T0 + i, {request_id: `req_${i}`, cost_usd: 0.01}, `s${i}`));
		assert.ok(many.sizes.sessions <= 20 && many.sizes.requests <= 20, JSON.stringify(many.sizes));
		assert.equal(many.totals(T0).sessions[0].session, 's499');
	});
});

describe('usage join: hostile input', () => {
	const TYPES = [
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
	];
	const KEYS = [
		'__proto__',
		'constructor',
		'toString',
		'hasOwnProperty',
		'request_id',
		'requestId',
		'messageId',
		'prompt.id',
		'prompt_id',
		'cost_usd',
		'costUSD',
		'costSource',
		'duration_ms',
		'input_tokens',
		'inputTokens',
		'model',
		'sessions',
		'session',
		'tokens',
		'models',
		'revision',
		'replaces',
		'tool_use_id',
		'success',
		'decision',
		'hook_event',
		'num_success',
		'total_duration_ms',
		'prompt',
	];
	const value = fc.oneof(
		fc.jsonValue({maxDepth: 3}),
		fc.constantFrom(
			-1,
			1e300,
			Number.MAX_SAFE_INTEGER,
			'12',
			'NaN',
			'__proto__',
			'x'.repeat(300),
			'\u001b]0;pwned\u0007',
		),
	);

	test('records of every usage type with hostile fields never throw, never touch a prototype, and give finite numbers', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						type: fc.constantFrom(...TYPES),
						session: fc.oneof(fc.constant(null), fc.constantFrom('__proto__', 'constructor', 's1')),
						entries: fc.array(fc.tuple(fc.constantFrom(...KEYS), value), {maxLength: 12}),
						at: fc.integer({min: -1, max: 2_000_000}),
					}),
					{maxLength: 40},
				),
				(items) => {
					const view = new UsageView({maxRequests: 10, maxSessions: 3, maxToolCalls: 10});
					items.forEach((item, i) => {
						const payload: Record<string, unknown> = JSON.parse('{}');
						for (const [k, v] of item.entries)
							Object.defineProperty(payload, k, {
								value: v,
								enumerable: true,
								configurable: true,
								writable: true,
							});
						const rec = otel(item.type, T0 + item.at, {}, item.session as string);
						rec.payload = payload;
						rec.session = item.session;
						rec.id = `h${i}`;
						if (item.at < 0) rec.time = 'not a time';
						view.apply(rec);
					});
					const snap = view.snapshot(T0 + 1_000_000);
					const text = JSON.stringify(snap);
					const walk = (v: unknown): void => {
						if (typeof v === 'number') assert.ok(Number.isFinite(v) && v >= 0, `a number: ${v}`);
						else if (Array.isArray(v)) v.forEach(walk);
						else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
					};
					walk(JSON.parse(text));
					assert.ok(view.sizes.requests <= 10 && view.sizes.sessions <= 3 && view.sizes.toolCalls <= 10);
					assert.equal(({} as Record<string, unknown>).polluted, undefined);
					assert.equal(Object.getPrototypeOf({}), Object.prototype);
				},
			),
			{numRuns: 300},
		);
	});
});

test('costSince (asked on every frame, kept between changes) equals a fresh view fed the same records, after every record, with trims', () => {
	const records: EventRecord[] = [
		...PROMPTS.map((p) =>
			hook(T0 + p.at, {hook_event_name: 'UserPromptSubmit', prompt: p.text, prompt_id: p.promptId}),
		),
		...TEL.map(telRequest),
		...TX.map((tx) => transcript(tx)),
		...METRICS.map(metrics),
		// A new session past maxSessions, and more requests past maxRequests: each trim moves the $.
		otel(
			'claude_code.api_request',
			T0 + 30_000,
			{request_id: 'req_other', model: 'claude-sonnet-4-5', cost_usd: 0.5, duration_ms: 10},
			'other-session',
		),
		otel(
			'claude_code.api_error',
			T0 + 30_500,
			{model: 'claude-sonnet-4-5', status_code: '529'},
			'other-session',
		),
		hook(T0 + 31_000, {
			hook_event_name: 'UserPromptSubmit',
			session_id: 'third-session',
			prompt: 'and now?',
			prompt_id: 'p-third',
		}),
		hook(T0 + 32_000, {
			hook_event_name: 'UserPromptSubmit',
			session_id: 'fourth-session',
			prompt: 'and here?',
			prompt_id: 'p-fourth',
		}),
	];
	const options = {maxRequests: 3, maxSessions: 2};
	// One view per `since`, each asked after every record, as the header asks on every frame.
	const sinces = [0, T0 + 5000, T0 + 20_000];
	const views = sinces.map(() => new UsageView(options));
	for (const [i, rec] of records.entries()) {
		for (const [k, since] of sinces.entries()) {
			views[k].apply(rec);
			const fresh = new UsageView(options);
			fresh.applyMany(records.slice(0, i + 1));
			assert.equal(
				views[k].costSince(since),
				fresh.costSince(since),
				`after record ${i} (${rec.type}), since ${since}`,
			);
		}
	}
});
