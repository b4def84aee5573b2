/**
 * The OTLP routes with recorded-shape JSON bodies against a real server on a free port: every
 * AnyValue type (int64 as strings), partial success, gzip and a gzip bomb, hostile keys, traces,
 * and the same Origin and token rules as /api/events. Oracles: the bodies the tests wrote.
 */
import assert from 'node:assert/strict';
import {gzipSync} from 'node:zlib';
import {after, before, describe, test} from 'node:test';
import {startServer, type MpmServer} from '../source/server/server.js';
import {request, testConfig} from './helpers/server-kit.js';

const str = (key: string, value: string) => ({key, value: {stringValue: value}});

function logsBody(
	records: unknown[],
	resourceAttrs: unknown[] = [str('service.name', 'claude-code')],
): unknown {
	return {
		resourceLogs: [
			{
				resource: {attributes: resourceAttrs},
				scopeLogs: [
					{scope: {name: 'com.anthropic.claude_code.events', version: '2.1.70'}, logRecords: records},
				],
			},
		],
	};
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): ReturnType<typeof request> {
	return request(url, {
		method: 'POST',
		headers: {'Content-Type': 'application/json', ...headers},
		body: Buffer.isBuffer(body)
			? new Uint8Array(body)
			: typeof body === 'string'
				? body
				: JSON.stringify(body),
	});
}

async function historyOf(server: MpmServer): Promise<any[]> {
	return (await request(`${server.url}/api/events?since=0&limit=1000`)).json.events;
}

describe('OTLP routes with recorded-shape bodies', () => {
	let server: MpmServer;
	before(async () => {
		server = await startServer(testConfig({journal: false}));
	});
	after(async () => {
		await server.close();
	});

	test('every AnyValue type is decoded: int64 strings, doubles, bools, arrays, kvlists, bytes, huge ints', async () => {
		const r = await post(
			`${server.url}/v1/logs`,
			logsBody([
				{
					timeUnixNano: '1764496801250000000',
					observedTimeUnixNano: '1764496801300000000',
					severityNumber: 9,
					severityText: 'INFO',
					body: {stringValue: 'claude_code.api_request'},
					traceId: '5B8EFFF798038103D269B633813FC60C',
					spanId: 'EEE19B7EC3C1B174',
					attributes: [
						str('event.name', 'api_request'),
						str('session.id', 'sess-1'),
						{key: 'input_tokens', value: {intValue: '1200'}},
						{key: 'big', value: {intValue: '9007199254740993'}},
						{key: 'cost_usd', value: {doubleValue: 0.0123}},
						{key: 'nan', value: {doubleValue: 'NaN'}},
						{key: 'ok', value: {boolValue: true}},
						{key: 'list', value: {arrayValue: {values: [{stringValue: 'a'}, {intValue: 2}]}}},
						{
							key: 'map',
							value: {kvlistValue: {values: [str('k', 'v'), {key: 'n', value: {doubleValue: 1.5}}]}},
						},
						{key: 'raw', value: {bytesValue: 'aGVsbG8='}},
						{key: 'empty', value: {}},
					],
				},
			]),
		);
		assert.equal(r.status, 200);
		assert.deepEqual(r.json, {});
		const rec = (await historyOf(server)).find((e) => e.payload['session.id'] === 'sess-1');
		assert.equal(rec.type, 'claude_code.api_request');
		assert.equal(rec.time, '2025-11-30T10:00:01.250Z');
		assert.equal(rec.source, 'otel');
		const p = rec.payload;
		assert.equal(p.input_tokens, 1200);
		assert.equal(p.big, '9007199254740993', 'an int64 past 2^53 keeps every digit');
		assert.equal(p.cost_usd, 0.0123);
		assert.equal(p.nan, 'NaN');
		assert.equal(p.ok, true);
		assert.deepEqual(p.list, ['a', 2]);
		assert.deepEqual(p.map, {k: 'v', n: 1.5});
		assert.equal(p.raw, 'aGVsbG8=');
		assert.equal(p.empty, null);
		assert.equal(p['service.name'], 'claude-code');
		assert.deepEqual(p._otel, {
			scope: 'com.anthropic.claude_code.events',
			severityText: 'INFO',
			severityNumber: 9,
			traceId: '5b8efff798038103d269b633813fc60c',
			spanId: 'eee19b7ec3c1b174',
			timeUnixNano: '1764496801250000000',
			observedTimeUnixNano: '1764496801300000000',
		});
	});

	test('time: a bad timeUnixNano falls back to the observed time, then to the receive time', async () => {
		const before = Date.now();
		await post(
			`${server.url}/v1/logs`,
			logsBody([
				{
					timeUnixNano: 'yesterday',
					observedTimeUnixNano: '1764496802000000000',
					attributes: [str('event.name', 'user_prompt'), str('session.id', 'sess-t1')],
				},
				{timeUnixNano: '0', attributes: [str('event.name', 'user_prompt'), str('session.id', 'sess-t2')]},
			]),
		);
		const history = await historyOf(server);
		assert.equal(history.find((e) => e.session === 'sess-t1').time, '2025-11-30T10:00:02.000Z');
		const t2 = Date.parse(history.find((e) => e.session === 'sess-t2').time);
		assert.ok(t2 >= before - 5 && t2 <= Date.now() + 5);
	});

	test('partial success: refused records are counted with reasons, the rest is kept', async () => {
		const r = await post(
			`${server.url}/v1/logs`,
			logsBody([
				{
					attributes: [
						str('event.name', 'tool_decision'),
						str('session.id', 'sess-p'),
						str('tool_name', 'Edit'),
					],
				},
				{attributes: 'not a list'},
				{body: {stringValue: 'has spaces in it so it is no name'}},
				{attributes: [{key: 'x', value: {intValue: 1.5}}, str('event.name', 'api_error')]},
			]),
		);
		assert.equal(r.status, 200);
		assert.equal(r.json.partialSuccess.rejectedLogRecords, '3');
		assert.match(r.json.partialSuccess.errorMessage, /^3 of 4 log records refused: /);
		assert.match(r.json.partialSuccess.errorMessage, /attributes must be an array/);
		assert.match(r.json.partialSuccess.errorMessage, /has no event name/);
		assert.match(r.json.partialSuccess.errorMessage, /intValue/);
		const kept = (await historyOf(server)).filter((e) => e.session === 'sess-p');
		assert.equal(kept.length, 1);
		assert.equal(kept[0].type, 'claude_code.tool_decision');
	});

	test('resource and scope attributes copied into every record are bounded like the body: 413, nothing stored', async () => {
		// 183 KB of body: a 70 KB resource attribute over 1,200 small records would store ~84 MB.
		const big = str('host.note', 'x'.repeat(70_000));
		const records = Array.from({length: 1200}, (_, i) => ({
			attributes: [
				str('event.name', 'api_request'),
				str('session.id', 'sess-amplified'),
				{key: 'n', value: {intValue: String(i)}},
			],
		}));
		const before = (await historyOf(server)).length;
		const r = await post(
			`${server.url}/v1/logs`,
			logsBody(records, [str('service.name', 'claude-code'), big]),
		);
		assert.equal(r.status, 413);
		assert.match(
			r.json.error,
			/resource and scope attributes copied into each log record come to more than 1048576 bytes .*70\d{3} bytes × 1200 records/,
		);
		assert.equal((await historyOf(server)).length, before, 'nothing stored');
		// The same resource over a few records is within the bound and taken.
		const few = await post(
			`${server.url}/v1/logs`,
			logsBody(records.slice(0, 3), [str('service.name', 'claude-code'), big]),
		);
		assert.equal(few.status, 200);
		assert.equal((await historyOf(server)).filter((e) => e.session === 'sess-amplified').length, 3);
	});

	test('hostile keys stay data: __proto__ and constructor attributes are own fields, nothing polluted', async () => {
		const r = await post(
			`${server.url}/v1/logs`,
			logsBody([
				{
					attributes: [
						str('event.name', 'x.proto'),
						str('session.id', 'sess-h'),
						{key: '__proto__', value: {kvlistValue: {values: [str('polluted', 'yes')]}}},
						str('constructor', 'c'),
					],
				},
			]),
		);
		assert.equal(r.status, 200);
		const rec = (await historyOf(server)).find((e) => e.session === 'sess-h');
		assert.ok(Object.hasOwn(rec.payload, '__proto__'));
		assert.equal(rec.payload.constructor, 'c');
		assert.equal(({} as any).polluted, undefined);
	});

	test('gzip is inflated; a gzip bomb is refused (413) by its inflated size', async () => {
		const body = gzipSync(
			JSON.stringify(
				logsBody([{attributes: [str('event.name', 'user_prompt'), str('session.id', 'sess-gz')]}]),
			),
		);
		const ok = await post(`${server.url}/v1/logs`, body, {'Content-Encoding': 'gzip'});
		assert.equal(ok.status, 200);
		assert.ok((await historyOf(server)).some((e) => e.session === 'sess-gz'));
		// 64 MiB of spaces inside a JSON string: about 64 KB compressed, under the 1 MiB limit on the wire.
		const bomb = gzipSync(
			Buffer.concat([
				Buffer.from('{"resourceLogs":[],"x":"'),
				Buffer.alloc(64 * 1024 * 1024, 0x20),
				Buffer.from('"}'),
			]),
		);
		assert.ok(bomb.length < 1_048_576);
		const refused = await post(`${server.url}/v1/logs`, bomb, {'Content-Encoding': 'gzip'});
		assert.equal(refused.status, 413);
		assert.match(refused.json.error, /inflates to more than 1048576 bytes/);
		const notGzip = await post(`${server.url}/v1/logs`, Buffer.from('{"resourceLogs":[]}'), {
			'Content-Encoding': 'gzip',
		});
		assert.equal(notGzip.status, 400);
		assert.match(notGzip.json.error, /not valid gzip/);
	});

	test('bodies that are no OTLP request: 400 with a reason; gRPC and protobuf 415; too deep refused', async () => {
		for (const [body, reason] of [
			['[1,2]', /JSON object with resourceLogs/],
			['{"resourceLogs":5}', /resourceLogs must be an array/],
			['{"resourceLogs":[', /not JSON/],
			[
				'[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
				/nested deeper/,
			],
		] as const) {
			const r = await post(`${server.url}/v1/logs`, body);
			assert.equal(r.status, 400, body.slice(0, 30));
			assert.match(r.json.error, reason);
		}
		const grpc = await request(`${server.url}/v1/metrics`, {
			method: 'POST',
			headers: {'Content-Type': 'application/grpc'},
			body: 'x',
		});
		assert.equal(grpc.status, 415);
		assert.match(grpc.json.error, /http\/json/);
	});

	test("an object without its endpoint's list takes nothing and is told so (partialSuccess, 0 rejected); `{}` is an empty request", async () => {
		// The OTLP spec: receivers MUST ignore unknown fields (so such a body is an empty request, and
		// an empty request SHOULD get success), and MAY warn through partialSuccess with 0 rejected.
		const before = server.stats().events.lastSeq;
		const logs = (errorMessage: string) => ({partialSuccess: {rejectedLogRecords: '0', errorMessage}});
		const metrics = (errorMessage: string) => ({partialSuccess: {rejectedDataPoints: '0', errorMessage}});
		const notLogs = 'nothing taken: this is not an OTLP logs request (no resourceLogs)';
		const notMetrics = 'nothing taken: this is not an OTLP metrics request (no resourceMetrics)';
		const cases: Array<[string, string, unknown]> = [
			['/v1/logs', '{"foo":1}', logs(`${notLogs}; its fields "foo" are not OTLP's`)],
			[
				'/v1/logs',
				'{"resourceMetrics":[{"scopeMetrics":[]}]}',
				logs(`${notLogs}; it has resourceMetrics: send it to /v1/metrics`),
			],
			['/v1/logs', '{"resourceSpans":[]}', logs(`${notLogs}; it has resourceSpans: send it to /v1/traces`)],
			[
				'/v1/metrics',
				'{"foo":1,"bar":2,"baz":3,"qux":4}',
				metrics(`${notMetrics}; its fields "foo", "bar", "baz" and 1 more are not OTLP's`),
			],
			[
				'/v1/metrics',
				'{"resourceLogs":[]}',
				metrics(`${notMetrics}; it has resourceLogs: send it to /v1/logs`),
			],
			['/v1/metrics', '{"__proto__":1}', metrics(`${notMetrics}; its fields "__proto__" are not OTLP's`)],
		];
		for (const [route, body, answer] of cases) {
			const r = await post(`${server.url}${route}`, body);
			assert.deepEqual([r.status, r.json], [200, answer], `${route} ${body}`);
		}
		for (const route of ['/v1/logs', '/v1/metrics']) {
			const r = await post(`${server.url}${route}`, '{}');
			assert.deepEqual([r.status, r.json], [200, {}], route);
		}
		assert.equal(server.stats().events.lastSeq, before, 'nothing was stored');
	});

	test('metrics: refused data points are counted (rejectedDataPoints) and the rest folded', async () => {
		const point = (value: unknown, session: string) => ({
			attributes: [str('session.id', session), str('model', 'm1')],
			startTimeUnixNano: '1764496800000000000',
			timeUnixNano: '1764496860000000000',
			...(value as object),
		});
		const r = await post(`${server.url}/v1/metrics`, {
			resourceMetrics: [
				{
					scopeMetrics: [
						{
							metrics: [
								{
									name: 'claude_code.cost.usage',
									sum: {
										aggregationTemporality: 1,
										isMonotonic: true,
										dataPoints: [
											point({asDouble: 0.5}, 'sess-m'),
											point({asDouble: 'lots'}, 'sess-m'),
											point({}, 'sess-m'),
										],
									},
								},
								{
									name: 'claude_code.token.usage',
									sum: {
										aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
										dataPoints: [
											{
												...point({asInt: '42'}, 'sess-m'),
												attributes: [str('session.id', 'sess-m'), str('type', 'output'), str('model', 'm1')],
											},
										],
									},
								},
								{name: 'some.gauge', gauge: {dataPoints: [point({asInt: 1}, 'sess-m')]}},
							],
						},
					],
				},
			],
		});
		assert.equal(r.status, 200);
		assert.equal(r.json.partialSuccess.rejectedDataPoints, '2');
		assert.match(r.json.partialSuccess.errorMessage, /asDouble/);
		assert.match(r.json.partialSuccess.errorMessage, /has no value/);
		const rec = (await historyOf(server)).find((e) => e.type === 'otel.metrics' && e.session === 'sess-m');
		assert.equal(rec.payload.total.cost_usd, 0.5);
		assert.equal(rec.payload.total.output, 42);
		assert.equal(rec.payload.ignored, 1);
		assert.equal(rec.time, '2025-11-30T10:01:00.000Z');
		const empty = await post(`${server.url}/v1/metrics`, {resourceMetrics: []});
		assert.equal(empty.status, 200);
		const stats = (await request(`${server.url}/api/status`)).json.otel.metrics;
		assert.equal(stats.rejected, 2);
		assert.equal(stats.ignored, 1);
	});

	test('traces are accepted, counted and said to be ignored', async () => {
		const r = await post(`${server.url}/v1/traces`, {
			resourceSpans: [{scopeSpans: [{spans: [{name: 'a'}, {name: 'b'}]}]}],
		});
		assert.equal(r.status, 200);
		assert.deepEqual(r.json, {
			partialSuccess: {
				rejectedSpans: '0',
				errorMessage: 'mpm-tui does not use traces: 2 spans accepted and ignored',
			},
		});
		assert.equal((await request(`${server.url}/api/status`)).json.otel.traces.spansIgnored, 2);
	});

	test('a web page cannot post telemetry (Origin), and GET is 405', async () => {
		const r = await post(`${server.url}/v1/logs`, logsBody([]), {Origin: 'https://evil.example'});
		assert.equal(r.status, 403);
		const get = await request(`${server.url}/v1/logs`);
		assert.equal(get.status, 405);
	});
});

describe('OTLP routes with a token and with identity kept', () => {
	let server: MpmServer;
	before(async () => {
		server = await startServer(testConfig({journal: false, token: 's3cret', otelKeepIdentity: true}));
	});
	after(async () => {
		await server.close();
	});

	test('no token: 401; OTEL_EXPORTER_OTLP_HEADERS-style Authorization: taken, and user.email kept when opted in', async () => {
		const body = logsBody([
			{
				attributes: [
					str('event.name', 'user_prompt'),
					str('session.id', 'sess-k'),
					str('user.email', 'me@example.com'),
				],
			},
		]);
		assert.equal((await post(`${server.url}/v1/logs`, body)).status, 401);
		const r = await post(`${server.url}/v1/logs`, body, {Authorization: 'Bearer s3cret'});
		assert.equal(r.status, 200);
		const history = (
			await request(`${server.url}/api/events?since=0`, {headers: {Authorization: 'Bearer s3cret'}})
		).json.events;
		assert.equal(history.find((e: any) => e.session === 'sess-k').payload['user.email'], 'me@example.com');
	});
});
