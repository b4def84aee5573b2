import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import http from 'node:http';
import {gzipSync} from 'node:zlib';
import {startServer, type MpmServer} from '../source/server/server.js';
import {hookEvent, postJson, request, testConfig} from './helpers/server-kit.js';

/** Raw HTTP with full control over the bytes and headers (fetch would fix some of them up). */
function raw(
	port: number,
	method: string,
	pathName: string,
	body: Buffer | string | null,
	headers: Record<string, string | number> = {},
): Promise<{status: number; json: any; headers: http.IncomingHttpHeaders}> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{host: '127.0.0.1', port, method, path: pathName, headers, agent: false},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString();
					let json: any;
					try {
						json = JSON.parse(text);
					} catch {
						json = text;
					}
					resolve({status: res.statusCode ?? 0, json, headers: res.headers});
				});
			},
		);
		req.on('error', reject);
		req.setTimeout(5000, () => req.destroy(new Error('timeout')));
		req.end(body ?? undefined);
	});
}

describe('HTTP API', () => {
	let server: MpmServer;
	before(async () => {
		server = await startServer(testConfig({journal: false}));
	});
	after(async () => {
		await server.close();
	});

	test('GET /health names the service, version, pid and port', async () => {
		const r = await request(`${server.url}/health`);
		assert.equal(r.status, 200);
		assert.equal(r.json.status, 'ok');
		assert.equal(r.json.service, 'mpm-tui');
		assert.equal(r.json.pid, process.pid);
		assert.equal(r.json.port, server.port);
		assert.equal(typeof r.json.version, 'string');
	});

	test('POST /api/events accepts one hook event and normalizes it', async () => {
		const event = hookEvent({tool_input: {command: 'npm test'}, tool_use_id: 'toolu_norm'});
		const r = await postJson(server.url, '/api/events', event, {
			'X-Mpm-Id': 'fwd-norm-1',
			'X-Mpm-Received': '1700000000123',
		});
		assert.equal(r.status, 202);
		assert.equal(r.json.accepted, 1);
		assert.equal(r.json.duplicates, 0);
		assert.equal(typeof r.json.lastSeq, 'number');
		const page = await request(`${server.url}/api/events?since=${r.json.lastSeq - 1}`);
		const record = page.json.events[0];
		assert.equal(record.seq, r.json.lastSeq);
		assert.equal(record.id, 'fwd-norm-1');
		assert.equal(record.time, new Date(1700000000123).toISOString());
		assert.equal(record.type, 'PreToolUse');
		assert.equal(record.tool, 'Bash');
		assert.equal(record.toolUseId, 'toolu_norm');
		assert.equal(record.session, 'sess-test');
		assert.equal(record.cwd, '/repo');
		assert.match(record.summary, /^Bash\s+npm test/);
		assert.deepEqual(record.payload.tool_input, {command: 'npm test'});
	});

	test('a JSON array and an NDJSON body each give one record per item', async () => {
		const arr = await postJson(server.url, '/api/events', [hookEvent(), hookEvent(), hookEvent()]);
		assert.equal(arr.status, 202);
		assert.equal(arr.json.accepted, 3);
		const nd = await request(`${server.url}/api/events`, {
			method: 'POST',
			headers: {'Content-Type': 'application/x-ndjson'},
			body: [hookEvent(), hookEvent()].map((e) => JSON.stringify(e)).join('\n') + '\n',
		});
		assert.equal(nd.status, 202);
		assert.equal(nd.json.accepted, 2);
		assert.equal(nd.json.lastSeq, arr.json.lastSeq + 2);
	});

	test('the same X-Mpm-Id twice is stored once and counted as a duplicate', async () => {
		const event = hookEvent();
		const first = await postJson(server.url, '/api/events', event, {'X-Mpm-Id': 'dup-id-1'});
		const second = await postJson(
			server.url,
			'/api/events',
			{...event, tool_use_id: 'other'},
			{'X-Mpm-Id': 'dup-id-1'},
		);
		assert.equal(first.json.accepted, 1);
		assert.equal(second.status, 202);
		assert.deepEqual([second.json.accepted, second.json.duplicates], [0, 1]);
	});

	test('the same bytes from the same session within 2 s are dropped as a duplicate', async () => {
		const text = JSON.stringify(hookEvent());
		const a = await postJson(server.url, '/api/events', text);
		const b = await postJson(server.url, '/api/events', text);
		assert.deepEqual([a.json.accepted, b.json.accepted, b.json.duplicates], [1, 0, 1]);
	});

	test('the claude-mpm envelope is accepted', async () => {
		const envelope = {
			namespace: '',
			event: 'claude_event',
			data: {type: 'hook', subtype: 'pre_tool', data: {tool_name: 'Read', session_id: 's1'}},
		};
		const r = await postJson(server.url, '/api/events', envelope);
		assert.equal(r.status, 202);
		assert.equal(r.json.accepted, 1);
		const page = await request(`${server.url}/api/events?since=${r.json.lastSeq - 1}`);
		assert.equal(page.json.events[0].type, 'PreToolUse');
		assert.equal(page.json.events[0].tool, 'Read');
		assert.equal(page.json.events[0].session, 's1');
	});

	test("POST /emit takes claude-mpm's {namespace, event, data} through the same pipeline", async () => {
		const r = await postJson(server.url, '/emit', {
			namespace: 'hook',
			event: 'claude_event',
			data: {type: 'hook', subtype: 'user_prompt', data: {prompt: 'fix the failing test', session_id: 's2'}},
		});
		assert.equal(r.status, 202);
		const page = await request(`${server.url}/api/events?since=${r.json.lastSeq - 1}`);
		assert.equal(page.json.events[0].type, 'UserPromptSubmit');
		assert.equal(page.json.events[0].source, 'emit');
	});

	describe('bad input: each gets its status and reason, and the server keeps serving', () => {
		const port = () => server.port;
		const cases: Array<{
			name: string;
			send: () => Promise<{status: number; json: any}>;
			status: number;
			error: RegExp;
			rejected?: (r: any) => void;
		}> = [
			{
				name: 'not JSON',
				send: () => raw(port(), 'POST', '/api/events', '{"a": nope}', {'Content-Type': 'application/json'}),
				status: 400,
				error: /not JSON at byte 7/,
			},
			{
				name: 'JSON but not an object',
				send: () => raw(port(), 'POST', '/api/events', '42', {'Content-Type': 'application/json'}),
				status: 400,
				error: /JSON number, expected an object/,
			},
			{
				name: 'missing type',
				send: () =>
					raw(port(), 'POST', '/api/events', '{"session_id":"x","foo":1}', {
						'Content-Type': 'application/json',
					}),
				status: 400,
				error: /no hook_event_name, type or subtype/,
			},
			{
				name: '2 MB body',
				send: () =>
					raw(port(), 'POST', '/api/events', Buffer.alloc(2 * 1024 * 1024, 0x20), {
						'Content-Type': 'application/json',
					}),
				status: 413,
				error: /^body is larger than 1048576 bytes$/,
			},
			{
				name: '2 MB body sent chunked (no Content-Length)',
				send: () =>
					raw(port(), 'POST', '/api/events', Buffer.alloc(2 * 1024 * 1024, 0x20), {
						'Content-Type': 'application/json',
						'Transfer-Encoding': 'chunked',
					}),
				status: 413,
				error: /^body is larger than 1048576 bytes$/,
			},
			{
				name: 'wrong content type',
				send: () => raw(port(), 'POST', '/api/events', '<xml/>', {'Content-Type': 'application/xml'}),
				status: 415,
				error: /application\/xml is not accepted; send application\/json, application\/x-ndjson/,
			},
			{
				name: 'deep nesting',
				send: () =>
					raw(
						port(),
						'POST',
						'/api/events',
						`{"hook_event_name":"Stop","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
						{'Content-Type': 'application/json'},
					),
				status: 400,
				error: /nested deeper than 64 levels/,
			},
			{
				name: 'invalid UTF-8',
				send: () =>
					raw(
						port(),
						'POST',
						'/api/events',
						Buffer.concat([
							Buffer.from('{"hook_event_name":"Stop","m":"'),
							Buffer.from([0xc3, 0x28]),
							Buffer.from('"}'),
						]),
						{'Content-Type': 'application/json'},
					),
				status: 400,
				error: /not valid UTF-8 at byte 31/,
			},
			{
				name: 'empty body',
				send: () => raw(port(), 'POST', '/api/events', '', {'Content-Type': 'application/json'}),
				status: 400,
				error: /body is empty/,
			},
			{
				name: 'bad X-Mpm-Received',
				send: () =>
					raw(port(), 'POST', '/api/events', JSON.stringify(hookEvent()), {
						'Content-Type': 'application/json',
						'X-Mpm-Received': 'yesterday',
					}),
				status: 400,
				error: /X-Mpm-Received must be a time in epoch milliseconds/,
			},
		];
		for (const c of cases) {
			test(c.name, async () => {
				const r = await c.send();
				assert.equal(r.status, c.status, JSON.stringify(r.json));
				assert.match(r.json.error, c.error);
				const ok = await postJson(server.url, '/api/events', hookEvent());
				assert.equal(ok.status, 202, 'the server still accepts events afterwards');
			});
		}

		test('an NDJSON batch with one bad line: the good lines are accepted and the bad line is named', async () => {
			const lines = [
				JSON.stringify(hookEvent()),
				JSON.stringify(hookEvent()),
				'{"hook_event_name": oops}',
				JSON.stringify(hookEvent()),
			];
			const r = await raw(port(), 'POST', '/api/events', lines.join('\n'), {
				'Content-Type': 'application/x-ndjson',
			});
			assert.equal(r.status, 202);
			assert.equal(r.json.accepted, 3);
			assert.equal(r.json.rejected.length, 1);
			assert.equal(r.json.rejected[0].index, 3);
			assert.match(r.json.rejected[0].error, /^line 3: not JSON at byte/);
		});

		test('a batch where nothing is accepted is a 400 that lists every failure', async () => {
			const r = await raw(port(), 'POST', '/api/events', '[1, {"foo": 2}]', {
				'Content-Type': 'application/json',
			});
			assert.equal(r.status, 400);
			assert.equal(r.json.rejected.length, 2);
			assert.match(r.json.rejected[1].error, /no hook_event_name, type or subtype/);
		});
	});

	test('an NDJSON batch whose bytes are not UTF-8 is refused whole, with the byte, as failure-modes.md says', async () => {
		const before = server.stats().events.lastSeq;
		const first = Buffer.from(`${JSON.stringify(hookEvent())}\n`);
		const second = Buffer.concat([
			Buffer.from('{"hook_event_name":"Stop","x":"'),
			Buffer.from([0xff]),
			Buffer.from('"}\n'),
		]);
		const r = await raw(server.port, 'POST', '/api/events', Buffer.concat([first, second]), {
			'Content-Type': 'application/x-ndjson',
		});
		assert.deepEqual(
			[r.status, r.json],
			[400, {error: `body is not valid UTF-8 at byte ${first.length + 31}`}],
		);
		assert.equal(server.stats().events.lastSeq, before, 'the good first line is not kept either');
	});

	test('a compressed body on /api/events and /emit is refused with 415 naming the encoding, not as bad UTF-8', async () => {
		const before = server.stats().events.lastSeq;
		const event = JSON.stringify(hookEvent());
		const reason = (encoding: string) =>
			`content encoding ${encoding} is not accepted here; send the body uncompressed (only /v1/logs and /v1/metrics inflate gzip)`;
		for (const [pathName, encoding, body] of [
			['/api/events', 'gzip', gzipSync(event)],
			['/api/events', 'GZip', gzipSync(event)],
			['/emit', 'gzip', gzipSync(event)],
			['/api/events', 'br', Buffer.from(event)],
			['/api/events', 'deflate, gzip', Buffer.from(event)],
		] as const) {
			const r = await raw(server.port, 'POST', pathName, body, {
				'Content-Type': 'application/json',
				'Content-Encoding': encoding,
			});
			assert.deepEqual(
				[r.status, r.json],
				[415, {error: reason(encoding.toLowerCase())}],
				`${pathName} ${encoding}`,
			);
		}
		assert.equal(server.stats().events.lastSeq, before, 'nothing was stored');
		// `identity` means the bytes as they are.
		const plain = await raw(server.port, 'POST', '/api/events', JSON.stringify(hookEvent()), {
			'Content-Type': 'application/json',
			'Content-Encoding': 'identity',
		});
		assert.equal(plain.status, 202);
	});

	test('GET /api/events pages by since and limit, filters, and answers NDJSON on request', async () => {
		const base =
			(
				await postJson(server.url, '/api/events', [
					hookEvent({tool_name: 'Grep'}),
					hookEvent(),
					hookEvent({tool_name: 'Grep'}),
				])
			).json.lastSeq - 3;
		const page = await request(`${server.url}/api/events?since=${base}&limit=2`);
		assert.deepEqual(
			page.json.events.map((e: any) => e.seq),
			[base + 1, base + 2],
		);
		const filtered = await request(
			`${server.url}/api/events?since=${base}&filter=${encodeURIComponent('tool:Grep')}`,
		);
		assert.deepEqual(
			filtered.json.events.map((e: any) => e.seq),
			[base + 1, base + 3],
		);
		const nd = await request(`${server.url}/api/events?since=${base}`, {
			headers: {Accept: 'application/x-ndjson'},
		});
		assert.match(nd.headers.get('content-type') ?? '', /application\/x-ndjson/);
		assert.deepEqual(
			nd.text
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l).seq),
			[base + 1, base + 2, base + 3],
		);
		const nd2 = await request(`${server.url}/api/events?since=${base}&format=ndjson`);
		assert.equal(nd2.text.trim().split('\n').length, 3);
	});

	test('GET /api/events refuses a bad since, limit or filter with the reason', async () => {
		assert.match(
			(await request(`${server.url}/api/events?since=-1`)).json.error,
			/since must be a whole number/,
		);
		assert.match(
			(await request(`${server.url}/api/events?limit=abc`)).json.error,
			/limit must be a whole number/,
		);
		assert.equal((await request(`${server.url}/api/events?limit=0`)).status, 400);
		const badFilter = await request(
			`${server.url}/api/events?filter=${encodeURIComponent('nokey:1 seq:>x')}`,
		);
		assert.equal(badFilter.status, 400);
		assert.match(badFilter.json.error, /^filter: /);
	});

	test('GET /api/status reports totals, buffer, clients, journal and spool', async () => {
		const r = await request(`${server.url}/api/status`);
		assert.equal(r.status, 200);
		assert.ok(r.json.events.total > 0);
		assert.ok(r.json.events.ratePerMinute > 0);
		assert.equal(r.json.buffer.capacity, 10_000);
		assert.ok(r.json.duplicates >= 2);
		assert.ok(r.json.rejected >= 5);
		assert.equal(r.json.journal.path, null);
		assert.equal(typeof r.json.spool.backlogBytes, 'number');
		assert.equal(typeof r.json.clients.total, 'number');
	});

	test('unknown paths get a JSON 404, wrong methods a 405', async () => {
		const r = await request(`${server.url}/nope`);
		assert.equal(r.status, 404);
		assert.match(r.json.error, /no such endpoint: GET \/nope/);
		assert.equal((await request(`${server.url}/api/status`, {method: 'POST'})).status, 405);
	});

	test('a non-loopback Origin is refused with 403, a loopback one is allowed', async () => {
		const bad = await raw(server.port, 'POST', '/api/events', JSON.stringify(hookEvent()), {
			'Content-Type': 'application/json',
			Origin: 'http://example.com',
		});
		assert.equal(bad.status, 403);
		assert.match(bad.json.error, /origin http:\/\/example\.com is not allowed/);
		for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:5173']) {
			const ok = await raw(server.port, 'POST', '/api/events', JSON.stringify(hookEvent()), {
				'Content-Type': 'application/json',
				Origin: origin,
			});
			assert.equal(ok.status, 202, origin);
			assert.equal(ok.headers['access-control-allow-origin'], origin);
		}
		const sneaky = await raw(server.port, 'GET', '/api/events', null, {Origin: 'http://localhost.evil.com'});
		assert.equal(sneaky.status, 403);
	});

	test('in-process ingest() goes through the same pipeline', () => {
		const before = server.stats().events.lastSeq;
		const result = server.ingest([hookEvent(), {not: 'an event'}], 'demo');
		assert.equal(result.accepted, 1);
		assert.equal(result.rejected.length, 1);
		assert.equal(result.records[0].seq, before + 1);
		assert.equal(result.records[0].source, 'demo');
	});
});

describe('HTTP API with a token', () => {
	let server: MpmServer;
	before(async () => {
		server = await startServer(testConfig({journal: false, token: 's3cret'}));
	});
	after(async () => {
		await server.close();
	});

	test('requests without the token, or with a wrong one, get 401', async () => {
		for (const headers of [{}, {Authorization: 'Bearer wrong'}, {'X-Mpm-Token': 's3cre'}] as Array<
			Record<string, string>
		>) {
			const r = await postJson(server.url, '/api/events', hookEvent(), headers);
			assert.equal(r.status, 401);
			assert.deepEqual(r.json, {error: 'missing or wrong token'});
		}
		assert.equal((await request(`${server.url}/api/status`)).status, 401);
		assert.equal((await request(`${server.url}/api/events`)).status, 401);
	});

	test('the token is taken from Authorization: Bearer, X-Mpm-Token or ?token=', async () => {
		assert.equal(
			(await postJson(server.url, '/api/events', hookEvent(), {Authorization: 'Bearer s3cret'})).status,
			202,
		);
		assert.equal(
			(await postJson(server.url, '/api/events', hookEvent(), {'X-Mpm-Token': 's3cret'})).status,
			202,
		);
		assert.equal((await postJson(server.url, '/api/events?token=s3cret', hookEvent())).status, 202);
	});

	test('/health stays open so clients can tell what holds the port', async () => {
		assert.equal((await request(`${server.url}/health`)).json.service, 'mpm-tui');
	});
});
