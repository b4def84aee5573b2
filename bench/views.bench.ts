/**
 * Derived views: apply 100,000 realistic hook events (8 interleaved sessions: prompts, parallel
 * tools, subagents with nested tools, permission prompts, todos, failures) and take snapshots.
 * Then the usage join (core/usage/usage-view.ts) at two mixes: the same hook-only stream, and a
 * stream with telemetry and transcripts as well (per turn: user_prompt, an api_request and its
 * transcript.usage per model call, tool_result, tool_decision and hook_execution_complete per
 * tool call, an api_error now and then, an otel.metrics record every 50 turns).
 * Figures are medians, given against a baseline in the same run: a loop that only reads the same
 * record fields (and parses the same times) without building any view.
 */
import {performance} from 'node:perf_hooks';
import type {EventRecord} from '../source/core/record.js';
import {normalize} from '../source/core/normalize.js';
import {createViews} from '../source/core/views/index.js';
import {UsageView} from '../source/core/usage/usage-view.js';

const EVENTS = 100_000;
const RUNS = 5;
const SNAPSHOT_RUNS = 15;
const T0 = Date.parse('2026-11-23T10:00:00.000Z');

type Payload = Record<string, unknown>;

function generate(count: number, usage = false): EventRecord[] {
	const out: EventRecord[] = [];
	let t = T0;
	let n = 0;
	let requests = 0;
	const push = (payload: Payload) => {
		t += 7;
		n++;
		const r = normalize(payload, {id: `b${n}`, receivedAt: new Date(t).toISOString(), source: 'hook'});
		if (!r.ok) throw new Error(r.error);
		out.push({seq: n, ...r.record});
	};
	/** A telemetry or transcript record, as the server makes them (attributes flattened into the payload). */
	const record = (
		session: string,
		type: string,
		source: string,
		payload: Payload,
		extra: Partial<EventRecord> = {},
	) => {
		t += 7;
		n++;
		const time = new Date(t).toISOString();
		out.push({
			seq: n,
			id: `b${n}`,
			time,
			received: time,
			session,
			type,
			tool: null,
			toolUseId: null,
			agentId: null,
			agentType: null,
			cwd: null,
			summary: '',
			source,
			payload,
			...extra,
		});
	};
	const apiRequest = (session: string, prompt: string, agent?: {agent_id: string; agent_type: string}) => {
		if (!usage) return;
		requests++;
		const requestId = `req_${requests}`;
		const tokens = {
			input: 20 + (requests % 50),
			output: 300 + (requests % 700),
			cacheRead: 30_000 + requests,
			cacheWrite: requests % 3 === 0 ? 2000 : 0,
		};
		record(session, 'claude_code.api_request', 'otel', {
			'session.id': session,
			'prompt.id': prompt,
			'event.name': 'api_request',
			request_id: requestId,
			model: 'claude-opus-4-6',
			cost_usd: 0.012 + (requests % 10) / 1000,
			duration_ms: 1800 + (requests % 900),
			input_tokens: tokens.input,
			output_tokens: tokens.output,
			cache_read_tokens: tokens.cacheRead,
			cache_creation_tokens: tokens.cacheWrite,
			...(agent ? {'agent.name': agent.agent_type} : {}),
		});
		record(
			session,
			'transcript.usage',
			'transcript',
			{
				requestId,
				messageId: `msg_${requests}`,
				model: 'claude-opus-4-6',
				inputTokens: tokens.input,
				outputTokens: tokens.output,
				cacheCreationTokens: tokens.cacheWrite,
				cacheCreation5mTokens: null,
				cacheCreation1hTokens: null,
				cacheReadTokens: tokens.cacheRead,
				costUSD: 0.0121,
				costSource: 'priced here',
				speed: null,
				isSidechain: false,
				promptId: null,
				sessionId: session,
				revision: 1,
				replaces: null,
			},
			{agentId: agent?.agent_id ?? null, agentType: agent?.agent_type ?? null},
		);
	};
	const toolTelemetry = (session: string, prompt: string, name: string, id: string, fail: boolean) => {
		if (!usage) return;
		record(
			session,
			'claude_code.tool_decision',
			'otel',
			{
				'session.id': session,
				'prompt.id': prompt,
				tool_name: name,
				tool_use_id: id,
				decision: 'accept',
				source: 'config',
			},
			{tool: name, toolUseId: id},
		);
		record(session, 'claude_code.hook_execution_complete', 'otel', {
			'session.id': session,
			'prompt.id': prompt,
			hook_event: 'PreToolUse',
			num_success: 1,
			num_non_blocking_error: 0,
			total_duration_ms: 12,
		});
		record(
			session,
			'claude_code.tool_result',
			'otel',
			{
				'session.id': session,
				'prompt.id': prompt,
				tool_name: name,
				tool_use_id: id,
				success: String(!fail),
				duration_ms: 40,
			},
			{tool: name, toolUseId: id},
		);
	};
	const sessions = Array.from({length: 8}, (_, i) => ({
		id: `sess-${i}-4c1e-9a0b-3d2f1e4c5a6b`,
		cwd: `/home/u/project${i}`,
	}));
	let turn = 0;
	while (out.length < count) {
		const s = sessions[turn % sessions.length];
		const base = {
			session_id: s.id,
			transcript_path: `/home/u/.claude/${s.id}.jsonl`,
			cwd: s.cwd,
			permission_mode: 'default',
		};
		const prompt = `prompt-${turn}`;
		const ev = (name: string, extra: Payload = {}) =>
			push({...base, hook_event_name: name, prompt_id: prompt, ...extra});
		const tool = (name: string, input: Payload, id: string, agent?: Payload, fail = false) => {
			ev('PreToolUse', {tool_name: name, tool_input: input, tool_use_id: id, ...agent});
			toolTelemetry(s.id, prompt, name, id, fail);
			return () =>
				fail
					? ev('PostToolUseFailure', {
							tool_name: name,
							tool_input: input,
							tool_use_id: id,
							error: 'exit 1',
							is_interrupt: false,
							duration_ms: 120,
							...agent,
						})
					: ev('PostToolUse', {
							tool_name: name,
							tool_input: input,
							tool_response: {stdout: 'ok'},
							tool_use_id: id,
							duration_ms: 40,
							...agent,
						});
		};
		if (turn % 50 === 0) ev('SessionStart', {source: 'startup', model: 'claude-opus-4-6'});
		ev('UserPromptSubmit', {prompt: `step ${turn}: make the tests pass`});
		if (usage)
			record(s.id, 'claude_code.user_prompt', 'otel', {
				'session.id': s.id,
				'prompt.id': prompt,
				prompt_length: 24,
			});
		apiRequest(s.id, prompt);
		const ends = [
			tool('Read', {file_path: `${s.cwd}/source/file${turn % 40}.ts`}, `toolu_r${turn}`),
			tool('Grep', {pattern: 'TODO', path: `${s.cwd}/source`}, `toolu_g${turn}`),
			tool('Read', {file_path: `${s.cwd}/test/file${turn % 30}.test.ts`}, `toolu_t${turn}`),
		];
		ends.reverse().forEach((end) => end());
		if (turn % 3 === 0) {
			const agentInput = {description: 'Explore the code', prompt: 'Find it.', subagent_type: 'Explore'};
			ev('PreToolUse', {tool_name: 'Agent', tool_input: agentInput, tool_use_id: `toolu_a${turn}`});
			const agent = {agent_id: `agent${turn}`, agent_type: 'Explore'};
			ev('SubagentStart', agent);
			for (let k = 0; k < 4; k++) {
				apiRequest(s.id, prompt, agent);
				tool('Read', {file_path: `${s.cwd}/lib/m${k}.ts`}, `toolu_s${turn}_${k}`, agent)();
			}
			ev('SubagentStop', {
				...agent,
				last_assistant_message: 'Found it in lib/m2.ts',
				stop_hook_active: false,
			});
			ev('PostToolUse', {
				tool_name: 'Agent',
				tool_input: agentInput,
				tool_response: {
					agentId: agent.agent_id,
					status: 'completed',
					totalDurationMs: 5000,
					totalTokens: 9000,
					totalToolUseCount: 4,
				},
				tool_use_id: `toolu_a${turn}`,
			});
		}
		if (turn % 5 === 0) {
			const input = {command: `rm -rf build${turn}`};
			const end = tool('Bash', input, `toolu_b${turn}`);
			ev('PermissionRequest', {tool_name: 'Bash', tool_input: input});
			ev('Notification', {
				message: 'Claude needs your permission to use Bash',
				notification_type: 'permission_prompt',
			});
			end();
		}
		tool('Bash', {command: 'npm test'}, `toolu_n${turn}`, undefined, turn % 7 === 0)();
		if (turn % 4 === 0)
			tool(
				'TodoWrite',
				{
					todos: [
						{content: 'a', status: 'completed', activeForm: 'A'},
						{content: 'b', status: 'in_progress', activeForm: 'B'},
					],
				},
				`toolu_td${turn}`,
			)();
		apiRequest(s.id, prompt);
		tool(
			'Edit',
			{file_path: `${s.cwd}/source/file${turn % 40}.ts`, old_string: 'a', new_string: 'b'},
			`toolu_e${turn}`,
		)();
		apiRequest(s.id, prompt);
		if (usage && turn % 20 === 0)
			record(s.id, 'claude_code.api_error', 'otel', {
				'session.id': s.id,
				'prompt.id': prompt,
				model: 'claude-opus-4-6',
				status_code: '529',
				attempt: 1,
			});
		if (usage && turn % 50 === 0)
			record(s.id, 'otel.metrics', 'otel', {
				total: {cost_usd: 0.5, input: 500, output: 9000, cacheRead: 900_000, cacheCreation: 2000},
				sessions: [
					{
						session: s.id,
						cost_usd: 0.5,
						tokens: {input: 500, output: 9000, cacheRead: 900_000, cacheCreation: 2000},
						models: [
							{
								model: 'claude-opus-4-6',
								cost_usd: 0.5,
								tokens: {input: 500, output: 9000, cacheRead: 900_000, cacheCreation: 2000},
							},
						],
						counters: [],
					},
				],
				points: 10,
				ignored: 0,
				baseline: 0,
				time: new Date(t).toISOString(),
			});
		ev('Stop', {stop_hook_active: false, last_assistant_message: 'Done.'});
		turn++;
	}
	return out.slice(0, count);
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function baseline(records: EventRecord[]): number {
	let sum = 0;
	for (const r of records) {
		sum += Date.parse(r.time) & 1;
		sum +=
			r.type.length +
			(r.tool?.length ?? 0) +
			(r.toolUseId?.length ?? 0) +
			(r.agentId?.length ?? 0) +
			(r.session?.length ?? 0) +
			(r.cwd?.length ?? 0);
		const input = r.payload.tool_input as Record<string, unknown> | undefined;
		if (input && typeof input.file_path === 'string') sum += input.file_path.length;
		if (typeof r.payload.duration_ms === 'number') sum += 1;
	}
	return sum;
}

const records = generate(EVENTS);
const now = Date.parse(records[records.length - 1].time) + 1000;
const baseMs: number[] = [];
const applyMs: number[] = [];
let sink = 0;
let views = createViews();
for (let i = 0; i < RUNS; i++) {
	let start = performance.now();
	sink += baseline(records);
	baseMs.push(performance.now() - start);
	views = createViews();
	start = performance.now();
	views.applyMany(records);
	applyMs.push(performance.now() - start);
}

const snap = {tools: [] as number[], agents: [] as number[], files: [] as number[], sessions: [] as number[]};
let rows = 0;
for (let i = 0; i < SNAPSHOT_RUNS; i++) {
	let s = performance.now();
	rows = views.tools(now).length;
	snap.tools.push(performance.now() - s);
	s = performance.now();
	sink += views.agents(now).length;
	snap.agents.push(performance.now() - s);
	s = performance.now();
	sink += views.files().length;
	snap.files.push(performance.now() - s);
	s = performance.now();
	sink += views.sessions(now).length;
	snap.sessions.push(performance.now() - s);
}

const base = median(baseMs);
const apply = median(applyMs);
const perSec = (ms: number) => Math.round(EVENTS / (ms / 1000)).toLocaleString('en-US');
console.log(`events: ${EVENTS.toLocaleString('en-US')}, runs: ${RUNS} (medians)`);
console.log(`baseline (read fields only): ${base.toFixed(1)} ms = ${perSec(base)} events/s`);
console.log(
	`views.apply:                 ${apply.toFixed(1)} ms = ${perSec(apply)} events/s  (${(apply / base).toFixed(1)}× baseline)`,
);
console.log(
	`per event: ${((apply * 1000) / EVENTS).toFixed(2)} µs apply vs ${((base * 1000) / EVENTS).toFixed(2)} µs baseline`,
);
for (const [name, times] of Object.entries(snap)) {
	console.log(
		`snapshot ${name.padEnd(8)} ${median(times).toFixed(2)} ms  (${(median(times) / ((base / EVENTS) * 1000)).toFixed(0)}× the baseline's cost for 1,000 events)`,
	);
}
console.log(`tool calls kept: ${rows.toLocaleString('en-US')} (bounded), checksum ${sink % 10}`);

// ----- the usage join -----

/** Median ms of `runs` passes of a fresh UsageView over `stream`, and the last view. */
function usagePass(stream: EventRecord[]): {ms: number; view: UsageView} {
	const times: number[] = [];
	let view = new UsageView();
	for (let i = 0; i < RUNS; i++) {
		view = new UsageView();
		const start = performance.now();
		view.applyMany(stream);
		times.push(performance.now() - start);
	}
	return {ms: median(times), view};
}

const mixed = generate(EVENTS, true);
const mixedNow = Date.parse(mixed[mixed.length - 1].time) + 1000;
const mixBase: number[] = [];
const mixViews: number[] = [];
for (let i = 0; i < RUNS; i++) {
	let start = performance.now();
	sink += baseline(mixed);
	mixBase.push(performance.now() - start);
	const all = createViews();
	start = performance.now();
	all.applyMany(mixed);
	mixViews.push(performance.now() - start);
}
const mixB = median(mixBase);
const hookOnly = usagePass(records);
const withUsage = usagePass(mixed);
const counts = new Map<string, number>();
for (const r of mixed) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
const usageSnap: number[] = [];
const usageOne: number[] = [];
const usageTotals: number[] = [];
const oneSession = mixed[0].session;
for (let i = 0; i < SNAPSHOT_RUNS; i++) {
	let s = performance.now();
	sink += withUsage.view.snapshot(mixedNow).sessions.length;
	usageSnap.push(performance.now() - s);
	s = performance.now();
	sink += withUsage.view.snapshot(mixedNow, oneSession).sessions.length;
	usageOne.push(performance.now() - s);
	s = performance.now();
	sink += withUsage.view.totals(mixedNow).sessions.length;
	usageTotals.push(performance.now() - s);
}
const us = (ms: number) => ((ms * 1000) / EVENTS).toFixed(2);
console.log('');
console.log(`usage join (UsageView.apply), per event:`);
console.log(
	`  hook events only:            ${us(hookOnly.ms)} µs  (${(hookOnly.ms / base).toFixed(2)}× the baseline's ${us(base)} µs)`,
);
console.log(
	`  with telemetry + transcripts: ${us(withUsage.ms)} µs  (${(withUsage.ms / mixB).toFixed(2)}× the baseline's ${us(mixB)} µs; mix: ${[...counts].map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')})`,
);
console.log(
	`  all views on that mix:        ${us(median(mixViews))} µs  (${(median(mixViews) / mixB).toFixed(1)}× baseline)`,
);
console.log(`  held: ${JSON.stringify(withUsage.view.sizes)}`);
console.log(
	`usage snapshot with every session's prompts, subagents, tool calls: ${median(usageSnap).toFixed(2)} ms; one session's (of 8): ${median(usageOne).toFixed(2)} ms; totals only (GET /api/usage): ${median(usageTotals).toFixed(2)} ms`,
);
console.log(`checksum ${sink % 10}`);
