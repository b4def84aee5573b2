/**
 * The Usage tab, the header's `$ today` on the real App (ink-testing-library), fed the session of
 * helpers/usage-scenario.ts as the server would hand it on: hook events through the real
 * normalizer, telemetry as OTLP JSON log records through the real converter (core/otel-logs.ts),
 * transcript.usage and otel.metrics records shaped as docs/protocol.md gives them. The numbers on
 * screen are the hand-computed ones of the scenario, written out here.
 */
import {afterEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import stringWidth from 'string-width';
import {normalize} from '../source/core/normalize.js';
import {otelLogRecord, splitLogsRequest} from '../source/core/otel-logs.js';
import type {EventRecord} from '../source/core/record.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import {keys, pressKeys, strip, waitForFrame} from './helpers/tui-kit.js';
import {
	API_ERROR,
	HOOK_RUNS,
	METRICS,
	OPUS,
	PROMPTS,
	SESSION,
	TEL,
	TOOLS,
	TX,
} from './helpers/usage-scenario.js';

process.env.FORCE_COLOR = '0';
const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');
const {hookHealthLine} = await import('../source/tui/tabs/usage/UsageTable.js');

afterEach(() => cleanup());

const iso = (t: number) => new Date(t).toISOString();
const str = (key: string, value: string) => ({key, value: {stringValue: value}});
const int = (key: string, value: number) => ({key, value: {intValue: String(value)}});
const dbl = (key: string, value: number) => ({key, value: {doubleValue: value}});
const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
let n = 0;

function hook(at: number, payload: Record<string, unknown>): EventRecord {
	const r = normalize(
		{session_id: SESSION, transcript_path: '/repo/.claude/x.jsonl', cwd: '/repo', ...payload},
		{id: `hook-${++n}`, receivedAt: iso(at), source: 'hook'},
	);
	if (!r.ok) throw new Error(r.error);
	return {seq: n, ...r.record};
}

/** Claude Code's log records as OTLP JSON, read by the receiver's own splitter and converter. */
function otel(base: number): EventRecord[] {
	const rec = (at: number, name: string, attributes: Array<{key: string; value: unknown}>) => ({
		timeUnixNano: nanos(base + at),
		body: {stringValue: `claude_code.${name}`},
		attributes: [str('event.name', name), str('session.id', SESSION), ...attributes],
	});
	const records: unknown[] = [];
	for (const p of PROMPTS)
		records.push(
			rec(p.at, 'user_prompt', [str('prompt.id', p.promptId), int('prompt_length', p.text.length)]),
		);
	for (const r of TEL)
		records.push(
			rec(r.at, 'api_request', [
				str('prompt.id', r.promptId),
				str('request_id', r.requestId),
				str('model', r.model),
				dbl('cost_usd', r.cost),
				int('duration_ms', r.durationMs),
				int('input_tokens', r.input),
				int('output_tokens', r.output),
				int('cache_read_tokens', r.cacheRead),
				int('cache_creation_tokens', r.cacheWrite),
			]),
		);
	for (const t of Object.values(TOOLS)) {
		if (t.decision)
			records.push(
				rec(t.pre, 'tool_decision', [
					str('prompt.id', t.promptId),
					str('tool_name', t.tool),
					str('tool_use_id', t.id),
					str('decision', t.decision),
					str('source', t.decisionSource!),
				]),
			);
		if (t.telDurationMs !== null)
			records.push(
				rec(t.post, 'tool_result', [
					str('prompt.id', t.promptId),
					str('tool_name', t.tool),
					str('tool_use_id', t.id),
					str('success', String(t.success)),
					int('duration_ms', t.telDurationMs),
				]),
			);
	}
	records.push(
		rec(API_ERROR.at, 'api_error', [
			str('prompt.id', API_ERROR.promptId),
			str('model', API_ERROR.model),
			str('status_code', API_ERROR.statusCode),
		]),
	);
	for (const h of HOOK_RUNS)
		records.push(
			rec(h.at, 'hook_execution_complete', [
				str('hook_event', h.event),
				int('num_success', h.success),
				int('num_non_blocking_error', h.nonBlocking),
				int('total_duration_ms', h.ms),
			]),
		);
	const split = splitLogsRequest({
		resourceLogs: [
			{
				resource: {attributes: [str('service.name', 'claude-code')]},
				scopeLogs: [{scope: {name: 'com.anthropic.claude_code.events'}, logRecords: records}],
			},
		],
	});
	assert.ok(split.ok);
	return split.value.items.map((item) => {
		assert.ok(item.ok, JSON.stringify(item));
		const r = otelLogRecord(item.value, {id: `otel-${++n}`, receivedAt: iso(base + 20_000), source: 'otel'});
		assert.ok(r.ok, JSON.stringify(r));
		return {seq: n, ...r.record};
	});
}

/** transcript.usage as docs/protocol.md gives it. */
function transcript(base: number): EventRecord[] {
	return TX.map((tx) => ({
		seq: ++n,
		id: `tx-${tx.requestId}-1`,
		time: iso(base + tx.at),
		received: iso(base + tx.at),
		session: SESSION,
		type: 'transcript.usage',
		tool: null,
		toolUseId: null,
		agentId: tx.agentId ?? null,
		agentType: tx.agentId ? 'Explore' : null,
		cwd: '/repo',
		summary: `${tx.model} usage`,
		source: 'transcript',
		payload: {
			requestId: tx.requestId,
			messageId: tx.messageId,
			model: tx.model,
			inputTokens: tx.input,
			outputTokens: tx.output,
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
			revision: 1,
			replaces: null,
		},
	}));
}

function metrics(base: number): EventRecord[] {
	return METRICS.map((m) => {
		const tokens = {input: m.input, output: m.output, cacheRead: m.cacheRead, cacheCreation: m.cacheWrite};
		return {
			seq: ++n,
			id: `metrics-${n}`,
			time: iso(base + m.at),
			received: iso(base + m.at),
			session: m.session,
			type: 'otel.metrics',
			tool: null,
			toolUseId: null,
			agentId: null,
			agentType: null,
			cwd: null,
			summary: 'metrics',
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
				time: iso(base + m.at),
			},
		};
	});
}

/** The whole scenario, its session started 14 s ago (so every $ is within the burn rate's 10 minutes). */
function scenario(base: number): EventRecord[] {
	const out: EventRecord[] = [];
	out.push(hook(base - 1000, {hook_event_name: 'SessionStart', source: 'startup'}));
	for (const p of PROMPTS)
		out.push(hook(base + p.at, {hook_event_name: 'UserPromptSubmit', prompt: p.text, prompt_id: p.promptId}));
	for (const t of Object.values(TOOLS)) {
		const input =
			t.tool === 'Bash'
				? {command: 'npm test'}
				: {description: 'explore', prompt: 'go', subagent_type: 'Explore'};
		out.push(
			hook(base + t.pre, {
				hook_event_name: 'PreToolUse',
				tool_name: t.tool,
				tool_input: input,
				tool_use_id: t.id,
				prompt_id: t.promptId,
			}),
		);
		out.push(
			t.failed
				? hook(base + t.post, {
						hook_event_name: 'PostToolUseFailure',
						tool_name: t.tool,
						tool_input: input,
						tool_use_id: t.id,
						error: 'interrupted',
						is_interrupt: true,
						prompt_id: t.promptId,
					})
				: hook(base + t.post, {
						hook_event_name: 'PostToolUse',
						tool_name: t.tool,
						tool_input: input,
						tool_response: {stdout: 'ok'},
						tool_use_id: t.id,
						duration_ms: t.hookDurationMs,
						prompt_id: t.promptId,
					}),
		);
	}
	out.push(
		hook(base + TOOLS.t2.pre + 100, {
			hook_event_name: 'SubagentStart',
			agent_id: 'ag1',
			agent_type: 'Explore',
			prompt_id: TOOLS.t2.promptId,
		}),
	);
	out.push(...otel(base), ...transcript(base), ...metrics(base));
	return out.sort((a, b) => Date.parse(a.time) - Date.parse(b.time)).map((r, i) => ({...r, seq: i + 1}));
}

function mount(columns: number, rows: number) {
	const store = new EventStore(1000);
	store.setLink({status: 'hosting', address: 'http://127.0.0.1:8765', attempt: 0});
	const app = render(
		<App
			store={store}
			size={{columns, rows}}
			snapshotIntervalMs={0}
			searchDebounceMs={10}
			defaultExportPath={() => './export.ndjson'}
			onQuit={() => {}}
			onExport={async (file) => file}
			onDemo={() => {}}
			onPause={() => {}}
		/>,
	);
	return {
		store,
		app,
		press: (...inputs: string[]) => pressKeys(app, ...inputs),
		until: (check: (frame: string) => boolean, what?: string) =>
			waitForFrame(app.lastFrame, check, 3000, what),
	};
}

function fits(frame: string, columns: number, rows: number): void {
	const lines = frame.split('\n');
	assert.ok(lines.length <= rows, `${lines.length} lines for ${rows} rows:\n${frame}`);
	for (const line of lines)
		assert.ok(stringWidth(line) <= columns, `wider than ${columns}: ${JSON.stringify(line)}`);
}

/** The cells of a table row (split on runs of two or more spaces, or one before a right-aligned figure). */
function rowOf(frame: string, has: string): string {
	const line = frame.split('\n').find((l) => l.includes(has));
	assert.ok(line, `a row with ${has}:\n${frame}`);
	return line.replace(/^[› ]/, '').trim().replace(/\s+/g, ' ');
}

describe('Usage tab', () => {
	it("shows each session's tokens, $ with its source, burn rate, API time, requests, errors and top model; Enter opens prompts and subagents, then a prompt's tool calls; Esc goes back", async () => {
		const t = mount(140, 30);
		await t.press('6');
		await t.until(
			(f) => f.includes('No usage yet') && f.includes('mpm-tui hooks install --telemetry'),
			'the empty state says what to set up',
		);
		t.store.append(scenario(Date.now() - 14_000), Date.now());
		const list = await t.until((f) => f.includes('sess-met'), 'the sessions with usage');
		// By $: the metrics-only session ($0.20, estimated: ~) first, the joined one ($0.0495, as Claude Code gave it) next.
		// columns: session, cwd, in, out, cache, $, $/h, api, req, err, top model.
		assert.equal(rowOf(list, 'sess-met'), 'sess-met 1.0k 10 0 ~$0.2000 $1.20 – 0 · claude-opus-4-6');
		assert.equal(rowOf(list, 'sess-usa'), `sess-usa /repo 450 230 3.7k $0.0495 $0.2970 4.4s 4 1 ${OPUS}`);
		const lines = list.split('\n');
		assert.ok(
			lines.findIndex((l) => l.includes('sess-met')) < lines.findIndex((l) => l.includes('sess-usa')),
			'most $ first',
		);
		assert.match(list, /\$0\.25 today/, "the header: today's $ (0.0495 + 0.2)");
		// o: most recently active first (the joined session's last record is its metrics at 20 s).
		await t.press('o');
		const recent = await t.until((f) => f.includes('by recent'));
		const rl = recent.split('\n');
		assert.ok(
			rl.findIndex((l) => l.includes('sess-usa')) < rl.findIndex((l) => l.includes('sess-met')),
			'most recent first',
		);
		// Enter on the joined session: its prompts, then its subagent.
		await t.press('k', keys.enter);
		const opened = await t.until((f) => f.includes('fix the failing test'), "the session's prompts");
		assert.match(
			opened,
			/session sess-usa {2}\$0\.0495 {2}450 in · 230 out · 3\.7k cache {2}4 req {2}api 4\.4s/,
		);
		// columns: mark, prompt, in, out, cache, $, api, req, tools, err.
		assert.equal(
			rowOf(opened, 'fix the failing test'),
			'▸ fix the failing test 110 70 1.7k $0.0150 1.5s 2 1 ·',
		);
		assert.equal(
			rowOf(opened, 'now explore the parser'),
			'▸ now explore the parser 340 160 2.0k $0.0345 2.9s 2 1 1',
		);
		assert.equal(rowOf(opened, 'Explore ag1'), '◆ Explore ag1 40 60 0 $0.0045 900ms 1 ·');
		// Enter on the first prompt: its tool call, telemetry beside the hook.
		await t.press('g', keys.enter);
		const prompt = await t.until((f) => f.includes('decision'), "the prompt's tool calls");
		// columns: tool, hook, otel, result, decision, tool_use_id.
		assert.equal(rowOf(prompt, 'toolu_t1'), 'Bash 400ms 380ms ok accept (config) toolu_t1');
		assert.match(prompt, /“fix the failing test”/);
		await t.press(keys.escape);
		await t.until((f) => f.includes('Explore ag1'), 'Esc: back to the session');
		await t.press(keys.escape);
		await t.until((f) => f.includes('sess-met') && f.includes('by recent'), 'Esc: back to the sessions');
	});

	for (const [columns, rows] of [
		[60, 15],
		[80, 24],
	] as const) {
		it(`fits ${columns}×${rows}: every level, no line wider than the pane`, async () => {
			const t = mount(columns, rows);
			await t.press('6');
			// The set-up command whole, however narrow the pane.
			fits(
				await t.until((f) => f.includes('  mpm-tui hooks install --telemetry'), 'the empty state'),
				columns,
				rows,
			);
			t.store.append(scenario(Date.now() - 14_000), Date.now());
			const list = await t.until((f) => f.includes('~$0.2000'), 'the list');
			fits(list, columns, rows);
			assert.match(list, /\$0\.25/, "the header keeps today's $ (compact)");
			// The narrow form: one tokens column (all four summed), no burn rate under 70 columns.
			if (columns === 60) assert.match(rowOf(list, 'sess-usa'), /4\.4k \$0\.0495$/);
			await t.press('j', keys.enter);
			fits(await t.until((f) => f.includes('fix the failing'), 'the session'), columns, rows);
			await t.press(keys.enter);
			fits(await t.until((f) => f.includes('Bash'), 'the prompt'), columns, rows);
		});
	}

	it('hook health from telemetry under the sessions: runs, mean and max, errors red and slow hooks yellow; none when there is no room', async () => {
		const t = mount(120, 30);
		await t.press('6');
		t.store.append(scenario(Date.now() - 14_000), Date.now());
		const list = await t.until((f) => f.includes('sess-usa') && f.includes('⚙'), 'the hook health lines');
		// HOOK_RUNS: two hook_execution_complete for PreToolUse, 45 ms and 15 ms, one non-blocking error.
		assert.match(list, /hooks, from Claude Code's telemetry \(1 event type\)/);
		assert.equal(rowOf(list, '⚙'), '⚙ PreToolUse 2 runs · mean 30ms · max 45ms · 1 error');
		assert.equal(
			hookHealthLine({
				event: 'PreToolUse',
				runs: 2,
				succeeded: 3,
				nonBlockingErrors: 1,
				blocking: 0,
				totalMs: 60,
				maxMs: 45,
				meanMs: 30,
			}).color,
			'red',
			'an error is red',
		);
		assert.equal(
			hookHealthLine({
				event: 'Stop',
				runs: 1,
				succeeded: 1,
				nonBlockingErrors: 0,
				blocking: 0,
				totalMs: 1500,
				maxMs: 1500,
				meanMs: 1500,
			}).color,
			'yellow',
			'a slow hook is yellow',
		);
		fits(strip(t.app.lastFrame() ?? ''), 120, 30);
		cleanup();
		// A pane too short for a third of it: the sessions keep the room.
		const small = mount(80, 7);
		await small.press('6');
		small.store.append(scenario(Date.now() - 14_000), Date.now());
		const frame = await small.until((f) => f.includes('sess-'), 'the sessions');
		assert.ok(!frame.includes('⚙'), frame);
		fits(frame, 80, 7);
	});

	it('Sessions gains tokens and $ from 130 columns, Agents $ from 120; narrower layouts are unchanged', async () => {
		for (const [columns, shown] of [
			[140, true],
			[129, false],
		] as const) {
			const t = mount(columns, 20);
			t.store.append(scenario(Date.now() - 14_000), Date.now());
			await t.press('5');
			const frame = await t.until((f) => f.includes('sess-usa'), 'the Sessions tab');
			const row = rowOf(frame, 'sess-usa');
			// All four token counts summed (450 + 230 + 200 + 3,500), the joined $ with no estimate mark.
			assert.equal(/ 4\.4k \$0\.0495$/.test(row), shown, `${columns} columns: ${row}`);
			assert.equal(/tokens +\$/.test(frame), shown, `${columns} columns: the titles`);
			t.app.unmount();
		}
		for (const [columns, shown] of [
			[120, true],
			[119, false],
		] as const) {
			const t = mount(columns, 20);
			t.store.append(scenario(Date.now() - 14_000), Date.now());
			await t.press('3');
			const frame = await t.until((f) => f.includes('Explore'), 'the Agents tab');
			// ag1's request r4: telemetry's $0.0045 (the transcript names the subagent).
			assert.equal(/\$0\.0045/.test(rowOf(frame, 'Explore')), shown, `${columns} columns: ${frame}`);
			t.app.unmount();
		}
	});

	it("the header's $ today counts only requests since local midnight", async () => {
		const t = mount(100, 12);
		const midnight = new Date();
		midnight.setHours(0, 0, 0, 0);
		// The scenario a day earlier: its $0.2495 are yesterday's.
		t.store.append(scenario(midnight.getTime() - 86_400_000 + 3_600_000), Date.now());
		await t.until((f) => f.includes('sessions'), 'the header');
		assert.doesNotMatch(t.app.lastFrame() ?? '', /today/, 'nothing spent today: no $ in the header');
		t.store.append(
			[hook(Date.now() - 1000, {hook_event_name: 'SessionStart', source: 'startup'})].map((r) => ({
				...r,
				seq: 1000,
			})),
			Date.now(),
		);
		const tel = otel(Date.now() - 14_000)
			.filter((r) => r.type === 'claude_code.api_request')
			.map((r, i) => ({
				...r,
				id: `today-${i}`,
				seq: 2000 + i,
				payload: {...r.payload, request_id: `today-${i}`},
			}));
		t.store.append(tel, Date.now());
		// Telemetry's three requests today: 0.01 + 0.03 + 0.0045.
		await t.until((f) => f.includes('$0.04 today'), "today's $");
	});
});
