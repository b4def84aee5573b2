/**
 * The join end to end on a real server (free loopback port): the session of
 * helpers/usage-scenario.ts told as Claude Code tells it — hook events posted to /api/events
 * (which name the transcript), telemetry as OTLP/HTTP JSON bodies to /v1/logs and /v1/metrics,
 * and transcript files (the session's and its subagent's) the server's follower reads — gives the
 * hand-computed numbers at `GET /api/usage`, at the Socket.IO `usage` request, and in
 * `views.usage()` fed with the server's history (what the TUI does). The server's own join is
 * rebuilt from the journal after a restart. /api/usage keeps /api/status's Origin and token rules.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {startServer} from '../source/server/server.js';
import {createViews} from '../source/core/views/index.js';
import {connect, connected, postJson, request, tempDir, testConfig} from './helpers/server-kit.js';
import {rawRequest, requestText} from './helpers/raw-http.js';
import {assistantLine} from './helpers/transcript-kit.js';
import {
	API_ERROR,
	HOOK_RUNS,
	METRICS,
	PROMPTS,
	SESSION,
	TEL,
	TOOLS,
	TX,
	checkDetail,
	checkTotals,
} from './helpers/usage-scenario.js';

const str = (key: string, value: string) => ({key, value: {stringValue: value}});
const int = (key: string, value: number) => ({key, value: {intValue: String(value)}});
const dbl = (key: string, value: number) => ({key, value: {doubleValue: value}});
const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

/** A Claude Code log record (event.name without the prefix, as Claude Code sends it; identity attributes it always adds). */
function logRecord(
	base: number,
	at: number,
	name: string,
	attributes: Array<{key: string; value: unknown}>,
): unknown {
	return {
		timeUnixNano: nanos(base + at),
		observedTimeUnixNano: nanos(base + at + 3),
		body: {stringValue: `claude_code.${name}`},
		attributes: [
			str('event.name', name),
			str('session.id', SESSION),
			str('user.email', 'u@example.com'),
			str('user.account_uuid', 'acc-1'),
			str('organization.id', 'org-1'),
			str('terminal.type', 'xterm-256color'),
			int('event.sequence', at),
			...attributes,
		],
	};
}

function logsBody(records: unknown[]): unknown {
	return {
		resourceLogs: [
			{
				resource: {attributes: [str('service.name', 'claude-code'), str('service.version', '2.1.240')]},
				scopeLogs: [
					{scope: {name: 'com.anthropic.claude_code.events', version: '2.1.240'}, logRecords: records},
				],
			},
		],
	};
}

function telemetryLogs(base: number): unknown[] {
	const out: unknown[] = [];
	for (const p of PROMPTS)
		out.push(
			logRecord(base, p.at, 'user_prompt', [
				str('prompt.id', p.promptId),
				int('prompt_length', p.text.length),
				str('prompt', '<REDACTED>'),
			]),
		);
	for (const r of TEL) {
		out.push(
			logRecord(base, r.at, 'api_request', [
				str('prompt.id', r.promptId),
				str('request_id', r.requestId),
				str('model', r.model),
				dbl('cost_usd', r.cost),
				int('duration_ms', r.durationMs),
				int('input_tokens', r.input),
				int('output_tokens', r.output),
				int('cache_read_tokens', r.cacheRead),
				int('cache_creation_tokens', r.cacheWrite),
				str('query_source', r.agentName ? 'agent:custom' : 'repl_main_thread'),
				...(r.agentName ? [str('agent.name', r.agentName)] : []),
			]),
		);
	}
	for (const t of Object.values(TOOLS)) {
		if (t.decision)
			out.push(
				logRecord(base, t.pre, 'tool_decision', [
					str('prompt.id', t.promptId),
					str('tool_name', t.tool),
					str('tool_use_id', t.id),
					str('decision', t.decision),
					str('source', t.decisionSource!),
				]),
			);
		if (t.telDurationMs !== null)
			out.push(
				logRecord(base, t.post, 'tool_result', [
					str('prompt.id', t.promptId),
					str('tool_name', t.tool),
					str('tool_use_id', t.id),
					str('success', String(t.success)),
					int('duration_ms', t.telDurationMs),
				]),
			);
	}
	out.push(
		logRecord(base, API_ERROR.at, 'api_error', [
			str('prompt.id', API_ERROR.promptId),
			str('model', API_ERROR.model),
			str('status_code', API_ERROR.statusCode),
			int('attempt', 1),
			str('error', 'overloaded'),
		]),
	);
	for (const h of HOOK_RUNS)
		out.push(
			logRecord(base, h.at, 'hook_execution_complete', [
				str('hook_event', h.event),
				int('num_success', h.success),
				int('num_non_blocking_error', h.nonBlocking),
				int('total_duration_ms', h.ms),
			]),
		);
	return out;
}

function metricsBody(base: number): unknown {
	const resourceMetrics = METRICS.map((m) => {
		const point = (value: number, type: string | null, asInt: boolean) => ({
			startTimeUnixNano: nanos(base + m.at - 60_000),
			timeUnixNano: nanos(base + m.at),
			...(asInt ? {asInt: String(value)} : {asDouble: value}),
			attributes: [str('session.id', m.session), str('model', m.model), ...(type ? [str('type', type)] : [])],
		});
		return {
			resource: {attributes: [str('service.name', 'claude-code')]},
			scopeMetrics: [
				{
					scope: {name: 'com.anthropic.claude_code', version: '2.1.240'},
					metrics: [
						{
							name: 'claude_code.cost.usage',
							unit: 'USD',
							sum: {aggregationTemporality: 1, isMonotonic: true, dataPoints: [point(m.cost, null, false)]},
						},
						{
							name: 'claude_code.token.usage',
							unit: 'tokens',
							sum: {
								aggregationTemporality: 1,
								isMonotonic: true,
								dataPoints: [
									point(m.input, 'input', true),
									point(m.output, 'output', true),
									point(m.cacheRead, 'cacheRead', true),
									point(m.cacheWrite, 'cacheCreation', true),
								],
							},
						},
					],
				},
			],
		};
	});
	return {resourceMetrics};
}

function hookPayloads(base: number, transcript: string): Array<Record<string, unknown>> {
	const common = {session_id: SESSION, transcript_path: transcript, cwd: '/repo', permission_mode: 'default'};
	const at = (ms: number) => new Date(base + ms).toISOString();
	const out: Array<Record<string, unknown>> = [
		{
			...common,
			hook_event_name: 'SessionStart',
			source: 'startup',
			model: 'claude-sonnet-4-5',
			timestamp: at(-1000),
		},
	];
	out.push({
		...common,
		hook_event_name: 'UserPromptSubmit',
		prompt: PROMPTS[0].text,
		prompt_id: PROMPTS[0].promptId,
		timestamp: at(PROMPTS[0].at),
	});
	const t1 = TOOLS.t1;
	out.push({
		...common,
		hook_event_name: 'PreToolUse',
		tool_name: t1.tool,
		tool_input: {command: 'npm test'},
		tool_use_id: t1.id,
		prompt_id: t1.promptId,
		timestamp: at(t1.pre),
	});
	out.push({
		...common,
		hook_event_name: 'PostToolUse',
		tool_name: t1.tool,
		tool_input: {command: 'npm test'},
		tool_response: {stdout: 'ok'},
		tool_use_id: t1.id,
		duration_ms: t1.hookDurationMs,
		prompt_id: t1.promptId,
		timestamp: at(t1.post),
	});
	out.push({
		...common,
		hook_event_name: 'UserPromptSubmit',
		prompt: PROMPTS[1].text,
		prompt_id: PROMPTS[1].promptId,
		timestamp: at(PROMPTS[1].at),
	});
	const t2 = TOOLS.t2;
	const agentInput = {description: 'explore', prompt: 'go', subagent_type: 'Explore'};
	out.push({
		...common,
		hook_event_name: 'PreToolUse',
		tool_name: t2.tool,
		tool_input: agentInput,
		tool_use_id: t2.id,
		prompt_id: t2.promptId,
		timestamp: at(t2.pre),
	});
	out.push({
		...common,
		hook_event_name: 'SubagentStart',
		agent_id: 'ag1',
		agent_type: 'Explore',
		prompt_id: t2.promptId,
		timestamp: at(t2.pre + 100),
	});
	out.push({
		...common,
		hook_event_name: 'PostToolUseFailure',
		tool_name: t2.tool,
		tool_input: agentInput,
		tool_use_id: t2.id,
		error: 'interrupted',
		is_interrupt: true,
		prompt_id: t2.promptId,
		timestamp: at(t2.post),
	});
	return out;
}

async function usageOf(url: string): Promise<any> {
	const r = await request(`${url}/api/usage`);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

async function until<T>(
	what: string,
	read: () => Promise<T>,
	done: (value: T) => boolean,
	ms = 8000,
): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > end)
			throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 2000)}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('usage join end to end on a real server', () => {
	test('hook events + OTLP JSON + transcripts → /api/usage, the Socket.IO usage request and views.usage() give the hand-computed numbers', async (t) => {
		const claudeDir = tempDir('mpm-tui-claude-');
		const projects = path.join(claudeDir, 'projects', '-repo');
		fs.mkdirSync(projects, {recursive: true});
		const transcript = path.join(projects, `${SESSION}.jsonl`);
		const stateDir = tempDir();
		const config = testConfig({}, {CLAUDE_CONFIG_DIR: claudeDir}, stateDir);
		let server = await startServer(config, {transcripts: {pollMs: 40, settleMs: 150}, log: () => {}});
		t.after(() => server.close());
		// Every time is in the last minute: the burn rates count them all.
		const base = Date.now() - 30_000;

		// Hook events first: they name the transcript (not there yet, so it is read from its start) and the subagent's.
		for (const payload of hookPayloads(base, transcript)) {
			const r = await postJson(server.url, '/api/events', payload);
			assert.equal(r.status, 202, r.text);
		}
		const iso = (ms: number) => new Date(base + ms).toISOString();
		const main = TX.filter((x) => !x.agentId);
		// r1 split over two lines (the second fuller), as Claude Code writes a response.
		const lines = main.flatMap((x) => [
			...(x.requestId === 'req_r1'
				? [
						assistantLine({
							messageId: x.messageId,
							requestId: x.requestId,
							model: x.model,
							input: x.input,
							output: 1,
							cacheRead: x.cacheRead,
							cacheWrite: x.cacheWrite,
							costUSD: x.costUSD ?? undefined,
							session: SESSION,
							time: iso(x.at),
						}),
					]
				: []),
			assistantLine({
				messageId: x.messageId,
				requestId: x.requestId,
				model: x.model,
				input: x.input,
				output: x.output,
				cacheRead: x.cacheRead,
				cacheWrite: x.cacheWrite,
				costUSD: x.costUSD ?? undefined,
				session: SESSION,
				time: iso(x.at),
			}),
		]);
		fs.writeFileSync(transcript, `${lines.join('\n')}\n`);
		const sub = TX.find((x) => x.agentId)!;
		const subDir = path.join(projects, SESSION, 'subagents');
		fs.mkdirSync(subDir, {recursive: true});
		fs.writeFileSync(
			path.join(subDir, `agent-${sub.agentId}.jsonl`),
			`${assistantLine({messageId: sub.messageId, requestId: sub.requestId, model: sub.model, input: sub.input, output: sub.output, costUSD: sub.costUSD ?? undefined, session: SESSION, sidechain: true, time: iso(sub.at)})}\n`,
		);

		const logs = await postJson(server.url, '/v1/logs', logsBody(telemetryLogs(base)));
		assert.equal(logs.status, 200, logs.text);
		assert.deepEqual(logs.json, {});
		const metrics = await postJson(server.url, '/v1/metrics', metricsBody(base));
		assert.equal(metrics.status, 200, metrics.text);

		// The transcript's three requests come when the follower has read and settled them.
		await until(
			'the transcript records',
			() =>
				request(
					`${server.url}/api/events?since=0&limit=1000&filter=${encodeURIComponent('type:transcript.usage')}`,
				),
			(r) => r.json.events.length === 3,
		);
		const answer = await usageOf(server.url);
		checkTotals(answer);
		assert.equal(
			Object.hasOwn(answer.sessions[0], 'prompts'),
			false,
			'/api/usage sends per-session totals only',
		);

		// The Socket.IO request with an ack answers the same.
		const socket = connect(server.url, {client: 'mpm-tui'});
		t.after(() => socket.close());
		await connected(socket);
		const acked = await socket.timeout(3000).emitWithAck('usage', {});
		checkTotals(acked);
		const bare = await socket.timeout(3000).emitWithAck('usage');
		checkTotals(bare);

		// The TUI's views, fed with the server's history, give the same and the breakdowns.
		const history = (await request(`${server.url}/api/events?since=0&limit=1000`)).json.events;
		const views = createViews();
		views.applyMany(history);
		const snap = views.usage(Date.now());
		checkTotals(snap);
		checkDetail(snap.sessions.find((s) => s.session === SESSION)!);

		// A restart rebuilds the server's join from the journal.
		socket.close();
		await server.close();
		server = await startServer(
			{...config, port: 0},
			{transcripts: {pollMs: 40, settleMs: 150}, log: () => {}},
		);
		checkTotals(await usageOf(server.url));
	});

	test('/api/usage keeps the Origin, Host and token rules of /api/status', async (t) => {
		const open = await startServer(testConfig({journal: false}));
		t.after(() => open.close());
		const port = open.port;
		const raw = (method: string, headers: Record<string, string>) =>
			rawRequest(port, requestText(method, '/api/usage', headers));
		assert.equal((await raw('GET', {Host: `127.0.0.1:${port}`})).status, 200);
		assert.equal(
			(await raw('GET', {Host: `127.0.0.1:${port}`, Origin: 'http://example.com'})).status,
			403,
			'a foreign Origin',
		);
		assert.equal((await raw('GET', {Host: `evil.example:${port}`})).status, 421, 'DNS rebinding');
		assert.equal((await raw('POST', {Host: `127.0.0.1:${port}`, 'Content-Length': '0'})).status, 405);
		const empty = await usageOf(open.url);
		assert.deepEqual(
			{sessions: empty.sessions, requests: empty.total.requests, costUSD: empty.total.costUSD},
			{sessions: [], requests: 0, costUSD: 0},
		);

		const locked = await startServer(testConfig({journal: false, token: 's3cret'}));
		t.after(() => locked.close());
		const without = await request(`${locked.url}/api/usage`);
		assert.equal(without.status, 401);
		const withToken = await request(`${locked.url}/api/usage`, {headers: {Authorization: 'Bearer s3cret'}});
		assert.equal(withToken.status, 200);
		assert.equal(withToken.json.total.requests, 0);
	});
});
