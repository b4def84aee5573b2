/**
 * The OTLP receiver with a real client: the OpenTelemetry JS SDK's OTLP HTTP/JSON log and metric
 * exporters sending records shaped like Claude Code's to the built server (`--server-only`, journal
 * on, state in a temp dir). Checked where a user sees them: stdout's NDJSON, the journal file, an
 * mpm-tui Socket.IO client, /api/status. Oracles: the values the test itself gave the SDK.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {OTLPLogExporter} from '@opentelemetry/exporter-logs-otlp-http';
import {
	AggregationTemporalityPreference,
	OTLPMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import {resourceFromAttributes} from '@opentelemetry/resources';
import {LoggerProvider, SimpleLogRecordProcessor} from '@opentelemetry/sdk-logs';
import {MeterProvider, PeriodicExportingMetricReader} from '@opentelemetry/sdk-metrics';
import {OtelUsageTotals} from '../source/core/usage/otel-metrics.js';
import {
	collectEvents,
	connect,
	connected,
	request,
	spawnServer,
	tempDir,
	withTimeout,
	type Spawned,
} from './helpers/server-kit.js';

const SESSION = 'b1e4c2d0-5a6f-4e8b-9c3d-1f2a3b4c5d6e';
const EMAIL = 'someone@example.com';
const ACCOUNT = '0c9d8e7f-aaaa-bbbb-cccc-123456789abc';
const ORG = 'org-7f6e5d4c';

/** Claude Code's standard attributes on every event and data point. */
function standard(
	extra: Record<string, string | number | boolean> = {},
): Record<string, string | number | boolean> {
	return {
		'session.id': SESSION,
		'user.email': EMAIL,
		'user.account_uuid': ACCOUNT,
		'user.id': 'f00dfeed',
		'organization.id': ORG,
		'terminal.type': 'tmux',
		...extra,
	};
}

async function until<T>(read: () => T | undefined, what: string, ms = 8000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const value = read();
		if (value !== undefined) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

describe('OTLP receiver with the OpenTelemetry JS exporters', () => {
	let server: Spawned & {url: string; port: number};
	let stateDir: string;
	before(async () => {
		stateDir = tempDir();
		server = await spawnServer({MPM_TUI_STATE_DIR: stateDir});
	});
	after(async () => {
		await server.kill();
	});

	test('log records become otel event records: type, time, session, tool use id, attributes flattened, identity dropped everywhere', async () => {
		const socket = connect(server.url);
		await connected(socket);
		const seen = collectEvents(socket);
		const exporter = new OTLPLogExporter({url: `${server.url}/v1/logs`});
		const provider = new LoggerProvider({
			resource: resourceFromAttributes({
				'service.name': 'claude-code',
				'service.version': '2.1.70',
				'user.email': EMAIL,
			}),
			processors: [new SimpleLogRecordProcessor({exporter})],
		});
		const logger = provider.getLogger('com.anthropic.claude_code.events', '2.1.70');
		const t1 = Date.parse('2026-11-30T10:00:01.250Z');
		const t2 = Date.parse('2026-11-30T10:00:02.500Z');
		logger.emit({
			body: 'claude_code.api_request',
			timestamp: t1,
			attributes: standard({
				'event.name': 'api_request',
				'event.timestamp': '2026-11-30T10:00:01.250Z',
				'event.sequence': 1,
				'prompt.id': 'p-1',
				model: 'claude-sonnet-4-5',
				cost_usd: 0.0123,
				duration_ms: 2345,
				input_tokens: 1200,
				output_tokens: 340,
				cache_read_tokens: 9000,
				cache_creation_tokens: 0,
				request_id: 'req_01',
				speed: 'normal',
			}),
		});
		// Each record is its own export request, sent at once: the first is answered before the
		// second is sent, so that they arrive (and are given seqs) in the order they were emitted.
		await exporter.forceFlush();
		logger.emit({
			body: 'claude_code.tool_result',
			timestamp: t2,
			attributes: standard({
				'event.name': 'tool_result',
				'event.sequence': 2,
				tool_name: 'Bash',
				tool_use_id: 'toolu_01ABC',
				success: 'true',
				duration_ms: 120,
				decision_type: 'accept',
				decision_source: 'config',
			}),
		});
		await provider.forceFlush();
		await provider.shutdown();

		const lines = await until(() => {
			const found = server.lines().filter((l) => l.source === 'otel');
			return found.length >= 2 ? found : undefined;
		}, 'two otel records on stdout');
		const [api, tool] = lines;
		assert.equal(api.type, 'claude_code.api_request');
		assert.equal(api.time, new Date(t1).toISOString());
		assert.equal(api.session, SESSION);
		assert.equal(api.payload['session.id'], SESSION);
		assert.equal(api.payload.model, 'claude-sonnet-4-5');
		assert.equal(api.payload.cost_usd, 0.0123);
		assert.equal(api.payload.input_tokens, 1200);
		assert.equal(api.payload['event.sequence'], 1);
		assert.equal(api.payload['service.name'], 'claude-code', 'resource attributes are flattened in');
		assert.equal(api.payload._otel.scope, 'com.anthropic.claude_code.events');
		assert.match(api.summary, /claude-sonnet-4-5/);
		assert.match(api.summary, /\$0\.0123/);
		assert.match(api.summary, /1200 in/);
		assert.match(api.summary, /2\.3 s/);
		assert.equal(tool.type, 'claude_code.tool_result');
		assert.equal(tool.time, new Date(t2).toISOString());
		assert.equal(tool.toolUseId, 'toolu_01ABC');
		assert.equal(tool.tool, 'Bash');
		assert.ok(tool.seq === api.seq + 1 || tool.seq > api.seq);

		for (const record of lines) {
			for (const key of ['user.email', 'user.account_uuid', 'user.id', 'organization.id'])
				assert.equal(Object.hasOwn(record.payload, key), false, `${key} is dropped`);
		}
		const journal = fs.readFileSync(path.join(stateDir, 'journal.ndjson'), 'utf8');
		assert.match(journal, /claude_code\.tool_result/);
		for (const secret of [EMAIL, ACCOUNT, ORG, 'f00dfeed']) {
			assert.equal(journal.includes(secret), false, `the journal never holds ${secret}`);
			assert.equal(server.stdout().includes(secret), false, `stdout never holds ${secret}`);
		}
		const live = await seen.until(2);
		assert.deepEqual(
			live.filter((r) => r.source === 'otel').map((r) => r.type),
			['claude_code.api_request', 'claude_code.tool_result'],
		);
		assert.equal(JSON.stringify(live).includes(EMAIL), false, 'a Socket.IO client never sees user.email');
		socket.close();

		const status = await request(`${server.url}/api/status`);
		assert.equal(status.json.otel.logs.records, 2);
		assert.ok(status.json.otel.logs.identityDropped >= 8);
	});

	test('metrics: each delta export folds into one otel.metrics record; totals are the hand sums; no flood', async () => {
		const before = server.lines().length;
		const reader = new PeriodicExportingMetricReader({
			exporter: new OTLPMetricExporter({
				url: `${server.url}/v1/metrics`,
				temporalityPreference: AggregationTemporalityPreference.DELTA,
			}),
			exportIntervalMillis: 600_000,
		});
		const provider = new MeterProvider({
			resource: resourceFromAttributes({'service.name': 'claude-code'}),
			readers: [reader],
		});
		const meter = provider.getMeter('com.anthropic.claude_code', '2.1.70');
		const cost = meter.createCounter('claude_code.cost.usage', {unit: 'USD'});
		const tokens = meter.createCounter('claude_code.token.usage', {unit: 'tokens'});
		const lines = meter.createCounter('claude_code.lines_of_code.count');
		const attrs = (extra: Record<string, string>) => ({...standard(), ...extra});
		// 200 adds across the export: still one record.
		for (let i = 0; i < 50; i++) {
			cost.add(0.01, attrs({model: 'claude-sonnet-4-5'}));
			tokens.add(100, attrs({model: 'claude-sonnet-4-5', type: 'input'}));
			tokens.add(20, attrs({model: 'claude-sonnet-4-5', type: 'output'}));
			tokens.add(5, attrs({model: 'claude-haiku-4-5', type: 'cacheRead'}));
		}
		lines.add(12, attrs({type: 'added'}));
		await reader.forceFlush();
		cost.add(0.25, attrs({model: 'claude-haiku-4-5'}));
		tokens.add(7, attrs({model: 'claude-haiku-4-5', type: 'output'}));
		await reader.forceFlush();
		await provider.shutdown();

		const records = await until(() => {
			const found = server
				.lines()
				.slice(before)
				.filter((l) => l.type === 'otel.metrics');
			return found.length >= 2 ? found : undefined;
		}, 'two otel.metrics records');
		assert.equal(server.lines().slice(before).length, 2, 'two exports, two records, nothing else');
		assert.equal(records[0].source, 'otel');
		assert.equal(records[0].session, SESSION);
		assert.equal(records[0].payload.total.input, 5000);
		assert.equal(records[0].payload.total.output, 1000);
		assert.equal(records[0].payload.total.cacheRead, 250);
		assert.ok(Math.abs(records[0].payload.total.cost_usd - 0.5) < 1e-9);
		assert.match(records[0].summary, /^metrics {2}\$0\.5000 · 5000 in · 1000 out · 250 cache read/);
		assert.equal(JSON.stringify(records).includes(EMAIL), false);
		// The second export carries only what was added since the first.
		assert.ok(Math.abs(records[1].payload.total.cost_usd - 0.25) < 1e-9);
		assert.equal(records[1].payload.total.output, 7);
		assert.equal(records[1].payload.total.input, 0);

		const totals = new OtelUsageTotals();
		for (const r of records) totals.add(r);
		const s = totals.session(SESSION)!;
		assert.ok(Math.abs(s.cost_usd - 0.75) < 1e-9);
		assert.deepEqual(s.tokens, {input: 5000, output: 1007, cacheRead: 250, cacheCreation: 0});
		const haiku = s.models.find((m) => m.model === 'claude-haiku-4-5')!;
		assert.ok(Math.abs(haiku.cost_usd - 0.25) < 1e-9);
		assert.deepEqual(haiku.tokens, {input: 0, output: 7, cacheRead: 250, cacheCreation: 0});
		assert.deepEqual(s.counters, [{metric: 'claude_code.lines_of_code.count', type: 'added', value: 12}]);
	});

	test('metrics: a cumulative exporter is not double-counted', async () => {
		const before = server.lines().length;
		const reader = new PeriodicExportingMetricReader({
			exporter: new OTLPMetricExporter({
				url: `${server.url}/v1/metrics`,
				temporalityPreference: AggregationTemporalityPreference.CUMULATIVE,
			}),
			exportIntervalMillis: 600_000,
		});
		const provider = new MeterProvider({readers: [reader]});
		const cost = provider.getMeter('cc').createCounter('claude_code.cost.usage');
		const attrs = {'session.id': 'cumulative-session', model: 'm'};
		cost.add(1, attrs);
		await reader.forceFlush();
		cost.add(2, attrs);
		await reader.forceFlush();
		// Nothing added: the cumulative value is the same, no record.
		await reader.forceFlush();
		cost.add(0.5, attrs);
		await reader.forceFlush();
		await provider.shutdown();
		const records = await until(() => {
			const found = server
				.lines()
				.slice(before)
				.filter((l) => l.type === 'otel.metrics');
			return found.length >= 3 ? found : undefined;
		}, 'three otel.metrics records');
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.equal(server.lines().slice(before).length, 3);
		assert.deepEqual(
			records.map((r) => r.payload.total.cost_usd),
			[1, 2, 0.5],
		);
		const totals = new OtelUsageTotals();
		for (const r of records) totals.add(r);
		assert.equal(totals.session('cumulative-session')!.cost_usd, 3.5);
	});

	test('a protobuf exporter is told to switch to http/json (415)', async () => {
		const r = await withTimeout(
			request(`${server.url}/v1/logs`, {
				method: 'POST',
				headers: {'Content-Type': 'application/x-protobuf'},
				body: new Uint8Array([0x0a, 0x00]),
			}),
			5000,
			'answer',
		);
		assert.equal(r.status, 415);
		assert.match(r.json.error, /OTEL_EXPORTER_OTLP_PROTOCOL=http\/json/);
		assert.equal(r.json.message, r.json.error);
	});
});
