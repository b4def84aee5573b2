import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import type {Socket} from 'socket.io-client';
import {startServer, type MpmServer} from '../source/server/server.js';
import {
	collectEvents,
	connect,
	connected,
	hookEvent,
	nextEvent,
	postJson,
	request,
	testConfig,
	withTimeout,
} from './helpers/server-kit.js';

describe('Socket.IO for mpm-tui clients', () => {
	let server: MpmServer;
	const sockets: Socket[] = [];
	const open = (...args: Parameters<typeof connect>) => {
		const s = connect(...args);
		sockets.push(s);
		return s;
	};
	before(async () => {
		// A 100 ms gap between flushes: 50 concurrent POSTs go in a few emits even when a loaded
		// machine spaces them more than the default gap apart (each would then be sent alone, as it should).
		server = await startServer(testConfig({journal: false}), {heartbeatMs: 300, broadcast: {gapMs: 100}});
	});
	after(async () => {
		for (const s of sockets) s.close();
		await server.close();
	});

	test('hello on connect, then accepted events arrive normalized, in batches', async () => {
		await postJson(server.url, '/api/events', hookEvent());
		const socket = open(server.url);
		const hello = await nextEvent(socket, 'hello');
		assert.equal(hello.service, 'mpm-tui');
		assert.equal(hello.lastSeq, server.stats().events.lastSeq);
		assert.equal(hello.firstSeq, 1);
		assert.ok(!Number.isNaN(Date.parse(hello.serverTime)));
		const got = collectEvents(socket);
		const events = Array.from({length: 50}, (_, i) =>
			hookEvent({tool_name: 'Read', tool_input: {file_path: `/repo/f${i}.ts`}}),
		);
		await Promise.all(events.map((e) => postJson(server.url, '/api/events', e)));
		const records = await got.until(50, 5000, (r) => r.seq > hello.lastSeq);
		assert.equal(records.length, 50);
		assert.ok(got.batches < 50, `50 events came in ${got.batches} emits, so they were batched`);
		const seqs = records.map((r) => r.seq);
		assert.deepEqual(
			seqs,
			[...seqs].sort((a, b) => a - b),
		);
		assert.equal(new Set(seqs).size, 50);
		assert.equal(records[0].type, 'PreToolUse');
		assert.equal(records[0].tool, 'Read');
		assert.match(records[0].summary, /^Read\s+/);
		assert.equal(records[0].session, 'sess-test');
	});

	test('WebSocket and long-polling clients get the same events: a big batch in packets of at most 500, text intact', async () => {
		const ws = open(server.url);
		const polling = open(server.url, {client: 'mpm-tui'}, {transports: ['polling']});
		await Promise.all([connected(ws), connected(polling)]);
		const byWs = collectEvents(ws);
		const byPolling = collectEvents(polling);
		// Only this test's batch: one accepted before (the last test's) may still be on its way.
		const mine = (r: any) => r.seq > server.stats().events.lastSeq - 1200;
		// One NDJSON body of 1,200 events: one accepted batch, more than two packets' worth.
		const notes = [
			'plain',
			'é ü ß',
			'漢字',
			'😀 emoji',
			'line\nbreak "quoted" \\ back',
			'\u2028 separators \u2029',
		];
		const body = Array.from({length: 1200}, (_, i) =>
			JSON.stringify(hookEvent({tool_input: {command: `echo ${i}`, note: notes[i % notes.length]}})),
		).join('\n');
		const answer = await postJson(server.url, '/api/events', body, {'Content-Type': 'application/x-ndjson'});
		assert.equal(answer.status, 202);
		assert.equal(answer.json.accepted, 1200);
		const [viaWs, viaPolling] = await Promise.all([
			byWs.until(1200, 5000, mine),
			byPolling.until(1200, 5000, mine),
		]);
		assert.deepEqual(viaPolling, viaWs);
		assert.ok(byWs.batches >= 3, `1,200 events in ${byWs.batches} packets: at most 500 each`);
		const page = await request(`${server.url}/api/events?since=${viaWs[0].seq - 1}&limit=1200`);
		assert.deepEqual(viaWs, page.json.events, 'what the clients got is what the server holds');
		assert.deepEqual(
			viaWs.map((r) => r.payload.tool_input.note),
			Array.from({length: 1200}, (_, i) => notes[i % notes.length]),
		);
	});

	test('history with an ack returns the events after since, capped at 5000', async () => {
		server.ingest(
			Array.from({length: 20}, () => hookEvent()),
			'demo',
		);
		const socket = open(server.url);
		await connected(socket);
		const last = server.stats().events.lastSeq;
		const page = await socket.timeout(3000).emitWithAck('history', {since: last - 5, limit: 3});
		assert.deepEqual(
			page.events.map((e: any) => e.seq),
			[last - 4, last - 3, last - 2],
		);
		assert.equal(page.lastSeq, last);
		const all = await socket.timeout(3000).emitWithAck('history', {since: 0, limit: 1_000_000});
		assert.equal(all.events.length, Math.min(5000, last));
		const bad = await socket.timeout(3000).emitWithAck('history', {since: 'x'});
		assert.match(bad.error, /since must be a whole number/);
	});

	test('claude_event and emit from a socket go through the pipeline', async () => {
		const listener = open(server.url);
		const hello = await nextEvent(listener, 'hello');
		const got = collectEvents(listener);
		const sender = open(server.url, {client: 'mpm-tui'});
		await connected(sender);
		const a = await sender
			.timeout(3000)
			.emitWithAck('claude_event', {type: 'hook', subtype: 'stop', data: {session_id: 's9'}});
		assert.equal(a.accepted, 1);
		const b = await sender.timeout(3000).emitWithAck('emit', {
			namespace: 'hook',
			event: 'claude_event',
			data: {type: 'hook', subtype: 'session_start', data: {session_id: 's9', cwd: '/x'}},
		});
		assert.equal(b.accepted, 1);
		const bad = await sender.timeout(3000).emitWithAck('emit', 'not an event');
		assert.equal(bad.accepted, 0);
		assert.match(bad.error, /must be a JSON object/);
		// Only what came after hello: a batch accepted before it (the last test's) may still be on its way, as a client sees it.
		const records = await got.until(2, 5000, (r) => r.seq > hello.lastSeq);
		assert.deepEqual(
			records.map((r) => [r.type, r.session, r.source]),
			[
				['Stop', 's9', 'socket'],
				['SessionStart', 's9', 'socket'],
			],
		);
	});

	test('a non-loopback Origin is refused at the handshake', async () => {
		const socket = open(server.url, {client: 'mpm-tui'}, {extraHeaders: {Origin: 'http://example.com'}});
		await assert.rejects(connected(socket), /websocket error|xhr poll error|not allowed/);
		const ok = open(server.url, {client: 'mpm-tui'}, {extraHeaders: {Origin: 'http://localhost:5173'}});
		await connected(ok);
	});

	test('status arrives about once a second', async () => {
		const socket = open(server.url);
		const status = await nextEvent(socket, 'status', 3000);
		assert.equal(typeof status.events.total, 'number');
		assert.ok(status.clients.mpmTui >= 1);
	});
});

describe('Socket.IO with a token and a connection limit', () => {
	let server: MpmServer;
	const sockets: Socket[] = [];
	before(async () => {
		server = await startServer(testConfig({journal: false, token: 'tok'}, {MPM_TUI_MAX_CONNECTIONS: '2'}));
	});
	after(async () => {
		for (const s of sockets) s.close();
		await server.close();
	});

	test('connections without the right token are refused; with it they get hello', async () => {
		const none = connect(server.url, {client: 'mpm-tui'});
		const wrong = connect(server.url, {client: 'mpm-tui', token: 'nope'});
		sockets.push(none, wrong);
		await assert.rejects(connected(none), /missing or wrong token/);
		await assert.rejects(connected(wrong), /missing or wrong token/);
		const right = connect(server.url, {client: 'mpm-tui', token: 'tok'});
		sockets.push(right);
		assert.equal((await nextEvent(right, 'hello')).service, 'mpm-tui');
		const hookNs = connect(`${server.url}/hook`, {});
		sockets.push(hookNs);
		await assert.rejects(connected(hookNs), /missing or wrong token/);
		none.close();
		wrong.close();
		hookNs.close();
	});

	test('beyond the connection limit a client is refused with a clear reason', async () => {
		const a = connect(server.url, {client: 'mpm-tui', token: 'tok'});
		sockets.push(a);
		await connected(a);
		// the first test's socket is still open: this is the third
		const b = connect(server.url, {client: 'mpm-tui', token: 'tok'});
		sockets.push(b);
		await assert.rejects(connected(b), /too many connections: this server allows 2/);
	});
});

describe('Socket.IO for claude-mpm clients (no mpm-tui identification)', () => {
	let server: MpmServer;
	const sockets: Socket[] = [];
	before(async () => {
		server = await startServer(testConfig({journal: false}), {heartbeatMs: 300});
	});
	after(async () => {
		for (const s of sockets) s.close();
		await server.close();
	});

	test("a dashboard-style client gets tool_event with claude-mpm's fields, one emit per event", async () => {
		// the way claude-mpm's dashboard listens: plain io(url), named events, no auth.client
		const dashboard = connect(server.url, {});
		sockets.push(dashboard);
		await connected(dashboard);
		const toolEvents: any[] = [];
		const sessionEvents: any[] = [];
		let gotBatch = false;
		dashboard.on('tool_event', (e: any) => toolEvents.push(e));
		dashboard.on('session_event', (e: any) => sessionEvents.push(e));
		dashboard.on('events', () => {
			gotBatch = true;
		});
		await postJson(server.url, '/api/events', [
			hookEvent({
				hook_event_name: 'SessionStart',
				session_id: 'cm1',
				source: 'startup',
				tool_name: undefined,
				tool_input: undefined,
				tool_use_id: undefined,
			}),
			hookEvent({session_id: 'cm1', tool_name: 'Bash', tool_input: {command: 'ls'}, tool_use_id: 'toolu_cm'}),
			hookEvent({
				session_id: 'cm1',
				hook_event_name: 'PostToolUse',
				tool_name: 'Bash',
				tool_input: {command: 'ls'},
				tool_use_id: 'toolu_cm',
				tool_response: {stdout: 'a'},
			}),
		]);
		await withTimeout(
			(async () => {
				while (toolEvents.length < 2 || sessionEvents.length < 1) await new Promise((r) => setTimeout(r, 10));
			})(),
			4000,
			'tool_event and session_event',
		);
		const [pre, post] = toolEvents;
		assert.equal(pre.type, 'tool_event', "type is the category, as claude-mpm's server sets it");
		assert.equal(pre.subtype, 'pre_tool');
		assert.equal(pre.correlation_id, 'toolu_cm', 'the tool use id pairs pre and post');
		assert.equal(post.correlation_id, 'toolu_cm');
		assert.equal(pre.session_id, 'cm1');
		assert.equal(pre.cwd, '/repo');
		assert.equal(pre.data.tool_name, 'Bash');
		assert.deepEqual(pre.data.tool_input, {command: 'ls'});
		assert.ok(!Number.isNaN(Date.parse(pre.timestamp)));
		assert.equal(typeof pre.source, 'string');
		assert.equal(post.subtype, 'post_tool');
		assert.equal(sessionEvents[0].subtype, 'session_start');
		assert.equal(gotBatch, false, 'claude-mpm clients do not get mpm-tui batches');
	});

	test("claude-mpm envelopes of every subtype go in over HTTP and come back out under claude-mpm's event names", async () => {
		const expected: Record<string, string> = {
			pre_tool: 'tool_event',
			post_tool: 'tool_event',
			user_prompt: 'claude_event',
			subagent_start: 'hook_event',
			subagent_stop: 'hook_event',
			stop: 'claude_event',
			session_start: 'session_event',
			session_end: 'session_event',
			notification: 'claude_event',
			todo_updated: 'hook_event',
			permission_request: 'claude_event',
			hook_execution: 'claude_event',
		};
		const dashboard = connect(server.url, {});
		sockets.push(dashboard);
		await connected(dashboard);
		const received: Array<[string, any]> = [];
		dashboard.onAny((name: string, body: any) => {
			if (name !== 'system.heartbeat') received.push([name, body]);
		});
		const subtypes = Object.keys(expected);
		const envelopes = subtypes.map((subtype, i) => ({
			namespace: 'hook',
			event: 'claude_event',
			data: {
				type: 'hook',
				subtype,
				session_id: 'env1',
				data: {session_id: 'env1', tool_name: subtype.endsWith('_tool') ? 'Edit' : undefined, n: i},
			},
		}));
		const r = await postJson(server.url, '/api/events', envelopes);
		assert.equal(r.status, 202, JSON.stringify(r.json));
		assert.equal(r.json.accepted, subtypes.length, JSON.stringify(r.json));
		await withTimeout(
			(async () => {
				while (received.length < subtypes.length) await new Promise((res) => setTimeout(res, 10));
			})(),
			4000,
			'every envelope back',
		);
		assert.deepEqual(
			received.map(([name, body]) => [body.subtype, name]),
			subtypes.map((subtype) => [subtype, expected[subtype]]),
		);
		for (const [name, body] of received) {
			assert.equal(body.type, name, 'type is the category');
			assert.equal(body.session_id, 'env1');
		}
	});

	test('the category namespaces carry events by category', async () => {
		const hookNs = connect(`${server.url}/hook`, {});
		const sessionNs = connect(`${server.url}/session`, {});
		sockets.push(hookNs, sessionNs);
		await Promise.all([connected(hookNs), connected(sessionNs)]);
		const preTool = nextEvent(hookNs, 'pre_tool');
		const start = nextEvent(sessionNs, 'start');
		server.ingest(
			[
				hookEvent({session_id: 'ns1', tool_name: 'Grep', tool_input: {pattern: 'x'}}),
				hookEvent({hook_event_name: 'SessionStart', session_id: 'ns1'}),
			],
			'demo',
		);
		const [p, s] = await Promise.all([preTool, start]);
		assert.equal(p.data.tool_name, 'Grep');
		assert.equal(p.session_id, 'ns1');
		assert.equal(s.subtype, 'session_start');
	});

	test('system.heartbeat with the client count, on /system and on the default namespace', async () => {
		const system = connect(`${server.url}/system`, {});
		const dashboard = connect(server.url, {});
		sockets.push(system, dashboard);
		await Promise.all([connected(system), connected(dashboard)]);
		const [a, b] = await Promise.all([
			nextEvent(system, 'heartbeat'),
			nextEvent(dashboard, 'system.heartbeat'),
		]);
		assert.equal(a.type, 'system.heartbeat');
		assert.ok(a.data.clients >= 2);
		assert.equal(b.type, 'system.heartbeat');
	});
});
