/**
 * What a client sends cannot hurt the server: prototype keys, deep nesting over Socket.IO, odd
 * times, huge histories, characters a terminal acts on. Each case ends with a canary event that
 * must still be delivered.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import {describe, test} from 'node:test';
import type {Socket} from 'socket.io-client';
import {createRequestHandler} from '../source/server/http-routes.js';
import {startServer, type MpmServer} from '../source/server/server.js';
import {ServerGuard} from '../source/server/server-guard.js';
import {
	collectEvents,
	connect,
	connected,
	hookEvent,
	postJson,
	request,
	spawnServer,
	tempDir,
	testConfig,
	withTimeout,
} from './helpers/server-kit.js';

const PROTO_KEYS = [
	'constructor',
	'__proto__',
	'toString',
	'hasOwnProperty',
	'valueOf',
	'__defineGetter__',
	'isPrototypeOf',
	'propertyIsEnumerable',
];

/** Every shape a prototype key can come in. */
function hostileEvents(key: string): unknown[] {
	return [
		{type: key, data: {}},
		{type: 'hook', subtype: key, data: {session_id: key}},
		{type: key, subtype: key},
		{namespace: `/${key}`, event: key, data: {tool_name: key}},
		{namespace: '/', event: key, data: {}},
		{type: `${key}.${key}`, data: {}},
		{
			hook_event_name: key,
			session_id: key,
			tool_name: key,
			agent_type: key,
			cwd: key,
			tool_use_id: key,
			notification_type: key,
		},
		{
			hook_event_name: 'PreToolUse',
			tool_name: key,
			tool_input: {[key]: key, file_path: key},
			session_id: 's',
		},
		{
			type: key,
			summary: key,
			payload: {[key]: 1},
			id: `rec-${key}`,
			time: new Date().toISOString(),
			session: key,
			tool: key,
			source: key,
		},
		JSON.parse(`{"hook_event_name":"Stop","__proto__":{"hook_event_name":"${key}"},"session_id":"p"}`),
	];
}

async function canary(server: {url: string}, socket: Socket): Promise<void> {
	const got = collectEvents(socket);
	const marker = `canary-${Math.random().toString(36).slice(2)}`;
	const r = await postJson(server.url, '/api/events', {
		hook_event_name: 'Notification',
		message: marker,
		session_id: 'canary',
	});
	assert.equal(r.status, 202, 'the canary is accepted');
	await withTimeout(
		new Promise<void>((resolve) => {
			const check = () =>
				got.records.some((e) => e.payload?.message === marker) ? resolve() : setTimeout(check, 10);
			check();
		}),
		4000,
		'the canary to arrive',
	);
}

describe('prototype keys', () => {
	let server: MpmServer;
	let socket: Socket;

	test('as types, subtypes, namespaces, tools, sessions: accepted as ordinary events or refused with a reason, over HTTP and Socket.IO', async () => {
		server = await startServer(testConfig());
		socket = connect(server.url);
		await connected(socket);
		const plain = connect(server.url, {});
		await connected(plain);
		const seen: string[] = [];
		for (const key of PROTO_KEYS) {
			for (const event of hostileEvents(key)) {
				const r = await postJson(server.url, '/api/events', event);
				assert.ok(
					r.status === 202 || r.status === 400,
					`HTTP ${r.status} for ${JSON.stringify(event)}: ${r.text}`,
				);
				if (r.status === 400) assert.equal(typeof r.json.error, 'string');
				const ack: any = await withTimeout(plain.emitWithAck('claude_event', event), 3000, 'an ack');
				assert.ok(
					ack.accepted === 1 || ack.duplicates === 1 || typeof ack.error === 'string',
					`ack ${JSON.stringify(ack)} for ${JSON.stringify(event)}`,
				);
				seen.push(r.status === 202 ? 'ok' : 'refused');
			}
		}
		assert.ok(seen.filter((s) => s === 'ok').length >= PROTO_KEYS.length * 8, 'most are ordinary events');
		// Their types are what was sent (under claude-mpm's prefix when no hook name), never an inherited function.
		const page = await request(`${server.url}/api/events?since=0&limit=10000`);
		assert.equal(page.status, 200);
		for (const record of page.json.events) {
			assert.equal(typeof record.type, 'string');
			assert.equal(typeof record.summary, 'string');
		}
		const types = new Set(page.json.events.map((r: any) => r.type));
		assert.ok(types.has('toString'), 'hook_event_name toString kept as its own type');
		assert.ok(types.has('mpm:constructor'), 'claude-mpm type constructor kept under mpm:');
		await canary(server, socket);
		plain.close();
		socket.close();
		await server.close();
	});

	test('a journal holding them is replayed on restart and served', async () => {
		const dir = tempDir();
		const config = testConfig({}, {}, dir);
		const first = await startServer(config);
		for (const key of PROTO_KEYS)
			for (const event of hostileEvents(key)) await postJson(first.url, '/api/events', event);
		const before = first.stats().events.lastSeq;
		await first.close();
		const second = await startServer(config);
		try {
			assert.equal(second.stats().journal.replayed, before);
			const s = connect(second.url);
			await connected(s);
			await canary(second, s);
			s.close();
		} finally {
			await second.close();
		}
	});
});

describe('depth and size on every path', () => {
	test('an event nested 5,000 levels deep over Socket.IO is refused with a reason; the server goes on', async () => {
		const server = await startServer(testConfig());
		const socket = connect(server.url);
		await connected(socket);
		try {
			// Written as raw packets: no JSON writer (socket.io-client's included) can make this text.
			const deep = `${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}`;
			const array = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
			const packets = [
				// socket.io packets (engine.io adds its message type): EVENT (2) with an ack id, then the arguments.
				`21["claude_event",{"hook_event_name":"Stop","data":${deep}}]`,
				`22["claude_event",{"type":"hook","subtype":"stop","data":{"x":${deep}}}]`,
				`23["emit",${deep}]`,
				`24["emit",{"hook_event_name":"Stop","list":${array}}]`,
			];
			const acks = new Map<string, any>();
			(socket.io.engine as any).on('message', (data: string) => {
				const match = /^3(\d+)\[(.*)\]$/s.exec(data);
				if (match) acks.set(match[1], JSON.parse(match[2]));
			});
			const rejectedBefore = server.stats().rejected;
			for (const packet of packets) (socket.io.engine as any).write(packet);
			await withTimeout(
				new Promise<void>((resolve) => {
					const check = () => (acks.size === packets.length ? resolve() : setTimeout(check, 10));
					check();
				}),
				5000,
				'the acks',
			);
			for (const [id, ack] of acks)
				assert.match(ack.error ?? '', /nested deeper than 64 levels/, `ack ${id}: ${JSON.stringify(ack)}`);
			assert.equal(server.stats().rejected - rejectedBefore, packets.length);
			await canary(server, socket);
		} finally {
			socket.close();
			await server.close();
		}
	});

	test("X-Mpm-Received takes decimal epoch milliseconds in Date's range only", async () => {
		const server = await startServer(testConfig());
		try {
			for (const bad of [
				'8640000000000001',
				'0x10',
				'1e3',
				'+5',
				'-1',
				'1.5',
				'soon',
				'99999999999999999999',
				'0',
			]) {
				const r = await postJson(server.url, '/api/events', hookEvent(), {'X-Mpm-Received': bad});
				assert.equal(r.status, 400, `X-Mpm-Received: ${bad}`);
				assert.match(r.json.error, /^X-Mpm-Received must be a time in epoch milliseconds/);
			}
			const good = await postJson(server.url, '/api/events', hookEvent(), {
				'X-Mpm-Received': '8640000000000000',
			});
			assert.equal(good.status, 202);
			const page = await request(`${server.url}/api/events?since=${good.json.lastSeq - 1}`);
			assert.equal(page.json.events[0].time, new Date(8_640_000_000_000_000).toISOString());
		} finally {
			await server.close();
		}
	});
});

describe('history answers are bounded by bytes', () => {
	test('HTTP (JSON and NDJSON) and Socket.IO pages stop at the byte bound, say more/next, and paging gets every event once', async () => {
		const config = {...testConfig(), historyBytes: 400 * 1024};
		const server = await startServer(config, {historyPageBytes: 64 * 1024});
		const socket = connect(server.url);
		await connected(socket);
		try {
			for (let i = 0; i < 60; i++) {
				assert.equal(
					(await postJson(server.url, '/api/events', hookEvent({prompt: `${i} ${'z'.repeat(10_000)}`})))
						.status,
					202,
				);
			}
			const stats = server.stats();
			assert.ok(stats.buffer.bytes <= 400 * 1024, `history held ${stats.buffer.bytes} bytes`);
			assert.ok(
				stats.buffer.used < 60 && stats.events.firstSeq > 1,
				'the oldest went to keep within the byte bound',
			);
			const first = stats.events.firstSeq;
			const expected = Array.from({length: 60 - first + 1}, (_, i) => first + i);

			const viaJson: number[] = [];
			let pages = 0;
			for (let since = 0, more = true; more; pages++) {
				const r = await request(`${server.url}/api/events?since=${since}&limit=10000`);
				assert.ok(r.text.length < 64 * 1024 + 11_000, 'one page stays near the bound');
				viaJson.push(...r.json.events.map((e: any) => e.seq));
				({more} = r.json);
				since = r.json.next;
				assert.equal(r.headers.get('x-mpm-more'), more ? '1' : '0');
			}
			assert.deepEqual(viaJson, expected);
			assert.ok(pages > 3, `several pages (${pages})`);

			const viaNdjson: number[] = [];
			for (let since = 0, more = true; more;) {
				const r = await request(`${server.url}/api/events?since=${since}&format=ndjson`);
				viaNdjson.push(
					...r.text
						.split('\n')
						.filter(Boolean)
						.map((line) => JSON.parse(line).seq),
				);
				more = r.headers.get('x-mpm-more') === '1';
				since = Number(r.headers.get('x-mpm-next'));
			}
			assert.deepEqual(viaNdjson, expected);

			const viaSocket: number[] = [];
			for (let since = 0, more = true; more;) {
				const answer: any = await socket.emitWithAck('history', {since, limit: 5000});
				viaSocket.push(...answer.events.map((e: any) => e.seq));
				({more, next: since} = answer);
			}
			assert.deepEqual(viaSocket, expected);

			// A filter reads at most a bounded amount too, and pages the same way.
			const filtered: number[] = [];
			for (let since = 0, more = true; more;) {
				const r = await request(
					`${server.url}/api/events?since=${since}&filter=${encodeURIComponent('"1 zzz"')}`,
				);
				filtered.push(...r.json.events.map((e: any) => e.seq));
				({more, next: since} = r.json);
			}
			assert.deepEqual(
				filtered,
				expected.filter((seq) => seq === 2 || (seq >= 11 && seq <= 20)),
			);
		} finally {
			socket.close();
			await server.close();
		}
	});
});

describe('no request can take the process down', () => {
	test('a route that throws answers 500 with a generic message and logs the details', async () => {
		const logs: string[] = [];
		const config = testConfig();
		const guard = new ServerGuard(config);
		const handler = createRequestHandler({
			config,
			guard,
			health: () => ({status: 'ok', service: 'mpm-tui', version: 'x', pid: 1, uptime: 0, port: 0}),
			stats: () => {
				throw new Error('stats exploded at line 42');
			},
			ingestBytes: () => {
				throw new Error('ingest exploded');
			},
			history: () => {
				throw new RangeError('Invalid string length');
			},
			log: (line) => logs.push(line),
		});
		const server = http.createServer(handler);
		guard.attach(server);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
		try {
			for (const [path, init] of [
				['/api/status', {}],
				['/api/events?since=0', {}],
				['/api/events', {method: 'POST', body: '{"hook_event_name":"Stop"}'}],
			] as const) {
				const r = await request(url + path, init);
				assert.equal(r.status, 500, path);
				assert.deepEqual(r.json, {error: 'internal server error (details are in the server log)'});
				assert.ok(
					!r.text.includes('exploded') && !r.text.includes('Invalid string'),
					'no internals in the answer',
				);
			}
			assert.equal((await request(`${url}/health`)).status, 200, 'still serving');
			assert.ok(
				logs.some((line) => /stats exploded at line 42/.test(line) && /at /.test(line)),
				'the log has the stack',
			);
			assert.ok(logs.some((line) => /Invalid string length/.test(line)));
		} finally {
			server.close();
		}
	});
});

describe('characters a terminal acts on', () => {
	const RAW = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/;

	test('never leave the server raw: stdout, journal and GET /api/events carry them as escapes of the same value', async () => {
		const dir = tempDir();
		const server = await spawnServer({MPM_TUI_STATE_DIR: dir});
		try {
			const nasty = 'a\u009b31mred\u001b[0m \u202eevil\u202c \u2066iso\u2069 \u0085nel \u2028ls end';
			const body = Buffer.from(
				JSON.stringify({
					hook_event_name: 'UserPromptSubmit',
					prompt: nasty,
					session_id: `s\u009bx`,
					cwd: '/r\u202e',
				}).replace(/\\u00([0-9a-f]{2})/g, (m, h) =>
					Number.parseInt(h, 16) >= 0x80 ? String.fromCharCode(Number.parseInt(h, 16)) : m,
				),
				'utf8',
			);
			assert.ok(RAW.test(body.toString('utf8')), 'the body itself holds them raw');
			const r = await request(`${server.url}/api/events`, {
				method: 'POST',
				headers: {'Content-Type': 'application/json'},
				body,
			});
			assert.equal(r.status, 202);
			await server.waitFor((out) => out.includes('UserPromptSubmit'), 'the stdout line');
			const raw = await fetch(`${server.url}/api/events?since=0`).then((res) => res.text());
			for (const [what, text] of [
				['stdout', server.stdout()],
				['journal', fs.readFileSync(`${dir}/journal.ndjson`, 'utf8')],
				['GET /api/events', raw],
			]) {
				assert.ok(!RAW.test(text), `${what} holds no raw C1/bidi/separator characters`);
				assert.ok(text.includes('\\u009b') && text.includes('\\u202e'), `${what} has them as escapes`);
			}
			const record = JSON.parse(raw).events[0];
			assert.equal(record.payload.prompt, nasty, 'the same value');
			assert.equal(record.session, 's\u009bx');
		} finally {
			await server.kill();
		}
	});
});
