import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import {describe, test} from 'node:test';
import {Server} from 'socket.io';
import {openConnection, type ConnectionState} from '../source/client/connection.js';
import {probe} from '../source/client/probe.js';
import type {EventRecord} from '../source/core/record.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {hookEvent, postJson, tempDir, testConfig, withTimeout} from './helpers/server-kit.js';

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
	await withTimeout(
		(async () => {
			while (!check()) await new Promise((r) => setTimeout(r, 15));
		})(),
		ms,
		what,
	);
}

function recorder() {
	const events: EventRecord[] = [];
	const states: ConnectionState[] = [];
	return {
		events,
		states,
		handlers: {
			onEvents: (batch: EventRecord[]) => events.push(...batch),
			onState: (s: ConnectionState) => states.push(s),
		},
		seqs: () => events.map((e) => e.seq),
	};
}

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i);

describe('probe', () => {
	test('an mpm-tui server, nothing, claude-mpm, another program, a silent one', async () => {
		const server = await startServer(testConfig({journal: false}));
		const closers: Array<() => void> = [];
		try {
			const found = await probe(server.url);
			assert.equal(found.kind, 'mpm-tui');
			assert.equal(found.kind === 'mpm-tui' && found.info.pid, process.pid);

			assert.deepEqual(await probe(`http://127.0.0.1:${await freePort()}`), {kind: 'none'});

			const serve = async (handler: http.RequestListener) => {
				const s = http.createServer(handler);
				await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
				closers.push(() => s.close());
				return `http://127.0.0.1:${(s.address() as net.AddressInfo).port}`;
			};
			const mpm = await serve((_, res) =>
				res.end(JSON.stringify({status: 'healthy', server: 'claude-mpm-socketio'})),
			);
			assert.deepEqual(await probe(mpm), {kind: 'claude-mpm'});
			const other = await serve((_, res) => {
				res.statusCode = 404;
				res.end('not found');
			});
			const o = await probe(other);
			assert.equal(o.kind, 'other');
			assert.match(o.kind === 'other' ? o.detail : '', /HTTP 404/);

			const silent = net.createServer(() => {});
			await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
			closers.push(() => silent.close());
			const quiet = await probe(
				`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`,
				undefined,
				300,
			);
			assert.equal(quiet.kind, 'other');
			assert.match(quiet.kind === 'other' ? quiet.detail : '', /no answer to GET \/health within 300 ms/);
		} finally {
			for (const c of closers) c();
			await server.close();
		}
	});
});

describe('openConnection', () => {
	test('live only without since; history first with since; never a duplicate', async () => {
		const server = await startServer(testConfig({journal: false}));
		const live = recorder();
		const fromTwo = recorder();
		server.ingest([hookEvent(), hookEvent(), hookEvent()], 'demo');
		const a = openConnection({url: server.url}, live.handlers);
		const b = openConnection({url: server.url, since: 1}, fromTwo.handlers);
		try {
			await until(
				() =>
					live.states.some((s) => s.status === 'connected') &&
					fromTwo.states.some((s) => s.status === 'connected'),
				'both connected',
			);
			assert.equal(live.states[0].status, 'connecting');
			assert.equal(live.states.at(-1)?.server?.service, 'mpm-tui');
			server.ingest([hookEvent(), hookEvent()], 'demo');
			await until(() => live.events.length >= 2 && fromTwo.events.length >= 4, 'live events');
			assert.deepEqual(live.seqs(), [4, 5]);
			assert.deepEqual(fromTwo.seqs(), [2, 3, 4, 5]);
			assert.equal(a.lastSeq(), 5);
		} finally {
			a.close();
			b.close();
			await server.close();
		}
		assert.equal(live.states.at(-1)?.status, 'closed');
	});

	test('historyLimit starts with the newest N events', async () => {
		const server = await startServer(testConfig({journal: false}));
		server.ingest(
			Array.from({length: 10}, () => hookEvent()),
			'demo',
		);
		const r = recorder();
		const c = openConnection({url: server.url, historyLimit: 4}, r.handlers);
		try {
			await until(() => r.events.length >= 4, 'history');
			assert.deepEqual(r.seqs(), [7, 8, 9, 10]);
		} finally {
			c.close();
			await server.close();
		}
	});

	test('catches up across several history pages while live events pour in: no gap, no duplicate', async () => {
		const server = await startServer(testConfig({journal: false, history: 30_000}));
		server.ingest(
			Array.from({length: 12_000}, () => hookEvent()),
			'demo',
		);
		const r = recorder();
		const c = openConnection({url: server.url, since: 0}, r.handlers);
		let stop = false;
		const pump = (async () => {
			while (!stop) {
				server.ingest([hookEvent(), hookEvent()], 'demo');
				await new Promise((res) => setTimeout(res, 2));
			}
		})();
		try {
			await until(() => r.events.length >= 12_000, 'the history pages', 20_000);
			stop = true;
			await pump;
			const last = server.stats().events.lastSeq;
			await until(() => c.lastSeq() === last, 'the live tail');
			assert.deepEqual(r.seqs(), range(1, last));
		} finally {
			stop = true;
			c.close();
			await server.close();
		}
	});

	test('after a server restart (journal kept) it catches up: no gap, no duplicate', async () => {
		const dir = tempDir();
		const port = await freePort();
		const config = testConfig({port}, {}, dir);
		let server = await startServer(config);
		const r = recorder();
		const c = openConnection({url: server.url, since: 0}, r.handlers);
		try {
			for (let i = 0; i < 5; i++) await postJson(server.url, '/api/events', hookEvent());
			await until(() => r.events.length === 5, 'the first five');
			await server.close();
			await until(() => r.states.some((s) => s.status === 'reconnecting'), 'reconnecting');
			server = await startServer(config);
			// events accepted while the client is still away, and some while it catches up
			server.ingest(
				Array.from({length: 20}, () => hookEvent()),
				'demo',
			);
			await until(() => r.states.at(-1)?.status === 'connected', 'connected again', 10_000);
			for (let i = 0; i < 5; i++) await postJson(server.url, '/api/events', hookEvent());
			await until(() => r.events.length >= 30, 'all 30');
			assert.deepEqual(r.seqs(), range(1, 30));
			assert.ok(
				r.states.some((s) => s.status === 'reconnecting' && s.attempt >= 1),
				'attempts are counted',
			);
		} finally {
			c.close();
			await server.close();
		}
	});

	test('a wrong token ends in the unauthorized state', async () => {
		const server = await startServer(testConfig({journal: false, token: 'right'}));
		const r = recorder();
		const c = openConnection({url: server.url, token: 'wrong'}, r.handlers);
		try {
			await until(() => r.states.some((s) => s.status === 'unauthorized'), 'unauthorized');
			assert.match(r.states.find((s) => s.status === 'unauthorized')!.error ?? '', /missing or wrong token/);
		} finally {
			c.close();
			await server.close();
		}
	});

	test('a claude-mpm server (no hello, named events): its events are normalized and numbered', async () => {
		// A stand-in for claude-mpm's Socket.IO server: emits its category events on connect.
		const http = (await import('node:http')).createServer();
		const io = new Server(http);
		io.on('connection', (socket) => {
			socket.emit('tool_event', {
				type: 'hook',
				subtype: 'pre_tool',
				data: {tool_name: 'Read', tool_input: {file_path: '/r/a.ts'}, session_id: 'm1'},
				timestamp: '2026-01-02T03:04:05.000Z',
				session_id: 'm1',
				source: 'claude_hook',
				cwd: '/r',
			});
			socket.emit('session_event', {
				type: 'hook',
				subtype: 'session_start',
				data: {session_id: 'm1'},
				timestamp: '2026-01-02T03:04:06.000Z',
				session_id: 'm1',
			});
			socket.emit('claude_event', 'not an event');
		});
		await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
		const url = `http://127.0.0.1:${(http.address() as net.AddressInfo).port}`;
		const r = recorder();
		const c = openConnection({url}, r.handlers);
		try {
			await until(
				() => r.events.length >= 2 && r.states.at(-1)?.status === 'connected',
				'the claude-mpm events',
			);
			assert.deepEqual(
				r.events.map((e) => [e.seq, e.type, e.tool, e.session, e.time]),
				[
					[1, 'PreToolUse', 'Read', 'm1', '2026-01-02T03:04:05.000Z'],
					[2, 'SessionStart', null, 'm1', '2026-01-02T03:04:06.000Z'],
				],
			);
			assert.equal(r.states.at(-1)?.server, undefined);
		} finally {
			c.close();
			await new Promise<void>((res) => io.close(() => res()));
		}
	});
});
