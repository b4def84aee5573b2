/**
 * OTLP ingest against the hook path, in the same run on the same server: POST /v1/logs with
 * 100-record OTLP/HTTP JSON bodies shaped like Claude Code's exports (api_request and tool_result
 * events, every attribute type, int64 as strings) against POST /api/events with NDJSON bodies of
 * the same 100 records as hook-like payloads (the same fields as top-level JSON). Rounds alternate
 * and the medians are compared: records/s and the server's CPU per record (robust against other
 * load on the machine). One mpm-tui Socket.IO client counts every record: zero lost, or the run fails.
 */
import http from 'node:http';
import {agent, fmt, median, startMpmTui, startReceivers, type ServerProcess} from './lib/harness.js';
import {goal} from './lib/goal.js';

const PER_BATCH = 100;
const BATCHES = 200;
const ROUNDS = 5;
const SENDERS = 2;

const RUN = Math.random().toString(36).slice(2, 8);
let sequence = 0;

type Value = string | number | boolean;

/** One record's attributes, as Claude Code sends them: `event.name` api_request or tool_result, distinct every time. */
function attributes(): Record<string, Value> {
	sequence++;
	const base: Record<string, Value> = {
		'session.id': '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
		'user.id': 'f00dfeed',
		'terminal.type': 'tmux',
		'event.timestamp': new Date(Date.UTC(2026, 10, 30, 10, 0, 0, sequence % 1000)).toISOString(),
		'event.sequence': sequence,
		'prompt.id': `p-${RUN}-${sequence >> 4}`,
	};
	if (sequence % 2 === 0) {
		return {
			...base,
			'event.name': 'api_request',
			model: 'claude-sonnet-4-5',
			cost_usd: 0.0123,
			duration_ms: 2345,
			input_tokens: 1200,
			output_tokens: 340,
			cache_read_tokens: 9000,
			cache_creation_tokens: 0,
			request_id: `req_${RUN}_${sequence}`,
			speed: 'normal',
		};
	}
	return {
		...base,
		'event.name': 'tool_result',
		tool_name: 'Bash',
		tool_use_id: `toolu_${RUN}_${sequence}`,
		success: 'true',
		duration_ms: 120,
		decision_type: 'accept',
		decision_source: 'config',
		tool_result_size_bytes: 2048,
	};
}

/** OTLP's AnyValue: integers as int64 strings, as the JS SDK's JSON encoding sends them. */
function anyValue(value: Value): Record<string, Value> {
	if (typeof value === 'string') return {stringValue: value};
	if (typeof value === 'boolean') return {boolValue: value};
	return Number.isInteger(value) ? {intValue: String(value)} : {doubleValue: value};
}

interface Pair {
	otlp: Buffer;
	ndjson: Buffer;
}

/** The same PER_BATCH records as an OTLP logs body and as an NDJSON body of hook-like payloads. */
function pair(): Pair {
	const records = Array.from({length: PER_BATCH}, attributes);
	const now = BigInt(Date.now()) * 1_000_000n;
	const otlp = {
		resourceLogs: [
			{
				resource: {
					attributes: [
						{key: 'service.name', value: {stringValue: 'claude-code'}},
						{key: 'service.version', value: {stringValue: '2.1.70'}},
					],
				},
				scopeLogs: [
					{
						scope: {name: 'com.anthropic.claude_code.events', version: '2.1.70'},
						logRecords: records.map((attrs, i) => ({
							timeUnixNano: String(now + BigInt(i)),
							observedTimeUnixNano: String(now + BigInt(i)),
							body: {stringValue: `claude_code.${attrs['event.name']}`},
							attributes: Object.entries(attrs).map(([key, value]) => ({key, value: anyValue(value)})),
						})),
					},
				],
			},
		],
	};
	const hookLike = records.map((attrs) =>
		JSON.stringify({session_id: attrs['session.id'], hook_event_name: attrs['event.name'], ...attrs}),
	);
	return {otlp: Buffer.from(JSON.stringify(otlp)), ndjson: Buffer.from(`${hookLike.join('\n')}\n`)};
}

function postTo(port: number, path: string, body: Buffer, contentType: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				path,
				method: 'POST',
				agent,
				headers: {'Content-Type': contentType, 'Content-Length': body.length},
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

interface Result {
	rate: number;
	cpuUs: number;
	lost: number;
}

type Path = 'otlp' | 'ndjson';

async function round(server: ServerProcess, kind: Path, bodies: Buffer[]): Promise<Result> {
	const receivers = await startReceivers(server.url, 1, true);
	const [path, type, ok] =
		kind === 'otlp' ? ['/v1/logs', 'application/json', 200] : ['/api/events', 'application/x-ndjson', 202];
	let sent = 0;
	let next = 0;
	const cpu0 = server.cpuSeconds();
	const start = performance.now();
	await Promise.all(
		Array.from({length: SENDERS}, async () => {
			while (next < bodies.length) {
				const body = bodies[next++];
				if ((await postTo(server.port, path, body, type)) === ok) sent += PER_BATCH;
			}
		}),
	);
	const elapsed = (performance.now() - start) / 1000;
	await receivers.waitFor(sent, 30_000);
	const cpuUs = ((server.cpuSeconds() - cpu0) * 1e6) / Math.max(1, sent);
	const [count] = await receivers.counts();
	await receivers.close();
	return {rate: sent / elapsed, cpuUs, lost: bodies.length * PER_BATCH - sent + Math.max(0, sent - count)};
}

async function main(): Promise<void> {
	const server = await startMpmTui(process.env.MPM_BENCH_NO_JOURNAL ? ['--no-journal'] : []);
	try {
		// Warm-up: both paths' per-batch code optimized before anything is measured.
		const warm = Array.from({length: 30}, pair);
		await round(
			server,
			'otlp',
			warm.map((p) => p.otlp),
		);
		await round(
			server,
			'ndjson',
			Array.from({length: 30}, pair).map((p) => p.ndjson),
		);
		const results = {otlp: [] as Result[], ndjson: [] as Result[]};
		for (let r = 1; r <= ROUNDS; r++) {
			// Fresh records each round (none is a duplicate); the order alternates so neither path always runs first.
			const order: Path[] = r % 2 ? ['otlp', 'ndjson'] : ['ndjson', 'otlp'];
			for (const kind of order) {
				const bodies = Array.from({length: BATCHES}, pair).map((p) => p[kind]);
				results[kind].push(await round(server, kind, bodies));
			}
			console.log(
				`  round ${r}: /v1/logs ${fmt(results.otlp.at(-1)!.rate)} rec/s (${fmt(results.otlp.at(-1)!.cpuUs, 1)} µs CPU/rec), /api/events NDJSON ${fmt(results.ndjson.at(-1)!.rate)} rec/s (${fmt(results.ndjson.at(-1)!.cpuUs, 1)} µs CPU/rec)`,
			);
		}
		const o = {rate: median(results.otlp.map((x) => x.rate)), cpu: median(results.otlp.map((x) => x.cpuUs))};
		const n = {
			rate: median(results.ndjson.map((x) => x.rate)),
			cpu: median(results.ndjson.map((x) => x.cpuUs)),
		};
		const lost = [...results.otlp, ...results.ndjson].reduce((sum, x) => sum + x.lost, 0);
		const sample = pair();
		console.log(
			`${PER_BATCH}-record batches (api_request + tool_result), ${SENDERS} senders, 1 client, median of ${ROUNDS} rounds × ${BATCHES} POSTs:`,
		);
		console.log(
			`  body size per batch:  OTLP JSON ${fmt(sample.otlp.length / 1024, 1)} KiB, NDJSON ${fmt(sample.ndjson.length / 1024, 1)} KiB`,
		);
		console.log(
			`  POST /v1/logs:        ${fmt(o.rate)} records/s, server CPU ${fmt(o.cpu, 1)} µs/record (one free core: ${fmt(1e6 / o.cpu)}/s)`,
		);
		console.log(
			`  POST /api/events:     ${fmt(n.rate)} records/s, server CPU ${fmt(n.cpu, 1)} µs/record (one free core: ${fmt(1e6 / n.cpu)}/s)`,
		);
		console.log(
			`  ratio OTLP / NDJSON:  throughput ${fmt(o.rate / n.rate, 2)}×, CPU per record ${fmt(o.cpu / n.cpu, 2)}×`,
		);
		console.log('');
		goal('otlp.lost', lost, '<=', 0, {digits: 0});
	} finally {
		await server.stop();
	}
}

await main();
process.exit();
