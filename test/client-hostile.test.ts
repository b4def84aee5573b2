/**
 * The client (source/client/connection.ts, and the TUI's claude-mpm link) against broken and
 * hostile Socket.IO servers — real servers on free loopback ports that send what the test says,
 * also JSON no encoder would write: malformed records, non-objects, a 5,000-deep payload,
 * prototype keys, a bad hello, answers that are not answers, oversized and cut history pages,
 * gaps the history cannot fill, controls in error messages. The client never throws (a throw in
 * a socket handler would end this test process), hands on only well-formed records, exactly once
 * and in order, says what it skipped, and keeps paging while the server says `more`.
 */
import {afterEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import type {Socket} from 'socket.io';
import {openConnection, type ConnectionState} from '../source/client/connection.js';
import type {EventRecord} from '../source/core/record.js';
import {openClaudeMpmConnection} from '../source/tui/sources/claude-mpm-link.js';
import {forbiddenIn, PROTO_KEYS} from './fixtures/hostile-events.js';
import {deepJson, hostileServer, raw, type HostileServer} from './helpers/hostile-socket-server.js';
import {withTimeout} from './helpers/server-kit.js';

const servers: HostileServer[] = [];
const closers: Array<() => void> = [];
afterEach(async () => {
	for (const close of closers.splice(0)) close();
	for (const server of servers.splice(0)) await server.close();
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
	await withTimeout(
		(async () => {
			while (!check()) await new Promise((r) => setTimeout(r, 10));
		})(),
		ms,
		what,
	);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function record(seq: number, fields: Partial<EventRecord> = {}): EventRecord {
	return {
		seq,
		id: `ev-${seq}`,
		time: '2026-11-23T10:00:00.000Z',
		received: '2026-11-23T10:00:00.000Z',
		session: 's1',
		type: 'PreToolUse',
		tool: 'Bash',
		toolUseId: `t${seq}`,
		agentId: null,
		agentType: null,
		cwd: '/r',
		summary: `Bash  echo ${seq}`,
		source: 'hook',
		payload: {n: seq},
		...fields,
	};
}

function client(url: string, options: {since?: number; historyLimit?: number} = {}) {
	const events: EventRecord[] = [];
	const states: ConnectionState[] = [];
	const problems: string[] = [];
	const connection = openConnection(
		{url, ...options},
		{
			onEvents: (batch) => events.push(...batch),
			onState: (s) => states.push(s),
			onProblem: (p) => problems.push(p),
		},
	);
	closers.push(() => connection.close());
	return {events, states, problems, connection, seqs: () => events.map((e) => e.seq)};
}

/** Every record handed on has the shape EventRecord promises. */
function assertRecords(events: readonly EventRecord[]): void {
	for (const e of events) {
		assert.ok(Number.isSafeInteger(e.seq) && e.seq > 0, `seq ${e.seq}`);
		for (const key of ['id', 'time', 'type', 'summary', 'source'] as const)
			assert.equal(typeof e[key], 'string', key);
		for (const key of ['session', 'tool', 'toolUseId', 'agentId', 'agentType', 'cwd'] as const)
			assert.ok(e[key] === null || typeof e[key] === 'string', key);
		assert.ok(typeof e.payload === 'object' && e.payload !== null && !Array.isArray(e.payload), 'payload');
	}
}

/** A server that greets like mpm-tui and answers `history` from `history(since, limit)`. */
async function mpmTuiServer(
	lastSeq: number,
	history: (since: number, limit: number, socket: Socket) => unknown,
	onConnect?: (socket: Socket) => void,
) {
	const server = await hostileServer();
	servers.push(server);
	const asked: number[] = [];
	server.io.on('connection', (socket) => {
		socket.on('history', (args: {since: number; limit: number}, ack: (answer: unknown) => void) => {
			asked.push(args.since);
			ack(history(args.since, args.limit, socket));
		});
		socket.emit('hello', {
			service: 'mpm-tui',
			version: '9',
			lastSeq,
			firstSeq: 1,
			serverTime: new Date().toISOString(),
		});
		onConnect?.(socket);
	});
	return {...server, asked};
}

describe('the client and a hostile mpm-tui server', () => {
	test('malformed records, non-objects, a 5,000-deep payload and prototype keys: only the good records come through', async () => {
		const good3 = record(3, {
			type: 'toString',
			tool: '__proto__',
			session: 'constructor',
			agentType: 'valueOf',
			cwd: 'hasOwnProperty',
			summary: '__defineGetter__',
		});
		const server = await mpmTuiServer(3, (since) =>
			since === 0
				? {
						events: [record(1), 'a string', 42, null, [], {seq: '2'}, {...record(2), payload: null}, good3],
						lastSeq: 3,
						more: false,
					}
				: {events: [], lastSeq: 3},
		);
		const c = client(server.url, {since: 0});
		await until(() => c.states.at(-1)?.status === 'connected' && c.events.length === 2, 'the history');
		const [socket] = await server.io.fetchSockets();
		socket.emit(
			'events',
			raw(
				`[{"seq":4,"id":"deep","time":"t","session":null,"type":"Stop","tool":null,"toolUseId":null,"agentId":null,"agentType":null,"cwd":null,"summary":"","source":"hook","payload":${deepJson(5000)}},${JSON.stringify(record(5))}]`,
			),
		);
		socket.emit('events', 'not an array');
		socket.emit('events', [
			{...record(6), seq: 1e300},
			{...record(6), seq: 6.5},
			{...record(6), seq: -6},
			{...record(6), type: ''},
			{...record(6), tool: 7},
		]);
		socket.emit('events', [
			{...record(6), time: undefined},
			{...record(7), session: undefined, tool: undefined},
		]);
		socket.emit('status', null);
		socket.emit('events', [record(8, {summary: 'CANARY'})]);
		await until(() => c.events.some((e) => e.summary === 'CANARY'), 'the canary');
		assert.deepEqual(
			c.seqs(),
			[1, 3, 5, 7, 8],
			'each good record once, in order; the bad ones skipped (seq 6 had only bad ones)',
		);
		assert.equal(c.events[1].type, 'toString');
		assert.equal(c.events[3].session, null, 'a missing optional field is null');
		assertRecords(c.events);
		const said = c.problems.join('\n');
		assert.match(
			said,
			/skipped 6 malformed records from the server \(a record must be a JSON object, got string\)/,
		);
		assert.match(
			said,
			/skipped 1 malformed record from the server \(record payload is nested deeper than 64 levels\)/,
		);
		assert.match(said, /record seq must be a whole number from 1 to 9007199254740991, got 1e\+300/);
		assert.match(said, /record time must be a string, got undefined/);
		assert.match(said, /the server sent events that are not a list; ignored/);
		assert.equal(c.states.at(-1)?.status, 'connected');
	});

	test('a hello that is not one, and history answers that are not answers: said, and the client goes on', async () => {
		const server = await hostileServer();
		servers.push(server);
		let calls = 0;
		server.io.on('connection', (socket) => {
			socket.on('history', (_: unknown, ack: (answer: unknown) => void) => {
				calls++;
				ack(
					[null, 'nonsense', {events: 'x'}, {error: 'no \u001b]0;PWNED\u0007 history \u009b6n'}][
						Math.min(calls - 1, 3)
					],
				);
			});
			socket.emit('hello', {lastSeq: 'many'});
		});
		const c = client(server.url);
		await until(() => c.states.at(-1)?.status === 'connected', 'connected');
		assert.match(
			c.problems.join('\n'),
			/malformed hello \(lastSeq is not a whole number ≥ 0\); catching up after seq 0/,
		);
		assert.match(c.problems.join('\n'), /history: malformed answer/);
		// Reconnecting asks again and meets the next odd answer each time.
		for (let i = 0; i < 3; i++) {
			const [socket] = await server.io.fetchSockets();
			const before = calls;
			socket.disconnect(true);
			await until(() => calls > before && c.states.at(-1)?.status === 'connected', 'the next answer');
		}
		const last = c.problems.at(-1) ?? '';
		assert.match(last, /^history: no .*history/);
		assert.equal(forbiddenIn(last), null, `the server's error text is shown safely: ${JSON.stringify(last)}`);
		assert.deepEqual(c.events, []);
	});

	test('an answer larger than asked for is cut and the rest asked for again: all of it, once, in order', async () => {
		const total = 12_000;
		const server = await mpmTuiServer(total, (since) => ({
			events: Array.from({length: total - since}, (_, i) => record(since + i + 1)),
			lastSeq: total,
		}));
		const c = client(server.url, {since: 0});
		await until(
			() => c.events.length >= total && c.states.at(-1)?.status === 'connected',
			'every event',
			15_000,
		);
		assert.deepEqual(
			c.seqs(),
			Array.from({length: total}, (_, i) => i + 1),
		);
		assert.deepEqual(server.asked, [0, 5000, 10_000], 'five thousand at a time');
	});

	test('pages cut short with `more: true` are followed to the end; a full page without `more` is too (older servers)', async () => {
		const total = 3000;
		const cutServer = await mpmTuiServer(total, (since) => {
			const events = Array.from({length: Math.min(700, total - since)}, (_, i) => record(since + i + 1));
			return {events, lastSeq: total, more: since + events.length < total};
		});
		const c = client(cutServer.url, {since: 0});
		await until(() => c.states.at(-1)?.status === 'connected', 'connected');
		await until(() => c.events.length >= total, `every event (have ${c.events.length})`);
		assert.deepEqual(
			c.seqs(),
			Array.from({length: total}, (_, i) => i + 1),
		);
		assert.deepEqual(cutServer.asked, [0, 700, 1400, 2100, 2800]);

		const oldServer = await mpmTuiServer(7000, (since, limit) => ({
			events: Array.from({length: Math.min(limit, 7000 - since)}, (_, i) => record(since + i + 1)),
			lastSeq: 7000,
		}));
		const o = client(oldServer.url, {since: 0});
		await until(
			() => o.events.length >= 7000 && o.states.at(-1)?.status === 'connected',
			'every event from the older server',
		);
		assert.deepEqual(oldServer.asked, [0, 5000]);
		assert.equal(o.seqs().at(-1), 7000);
	});

	test('`more: true` with nothing new does not make the client ask forever', async () => {
		const server = await mpmTuiServer(10, () => ({events: [record(1)], lastSeq: 10, more: true}));
		const c = client(server.url, {since: 0});
		await until(() => c.states.at(-1)?.status === 'connected', 'connected');
		await sleep(300);
		assert.deepEqual(server.asked, [0, 1], 'one more question, then it stops');
		assert.deepEqual(c.seqs(), [1]);
	});

	test('a live event after a gap the history cannot fill is taken as it is, without asking in a loop', async () => {
		const server = await mpmTuiServer(1, (since) => ({events: since === 0 ? [record(1)] : [], lastSeq: 1}));
		const c = client(server.url, {since: 0});
		await until(() => c.states.at(-1)?.status === 'connected' && c.events.length === 1, 'the first event');
		const [socket] = await server.io.fetchSockets();
		socket.emit('events', [record(5)]);
		await until(() => c.seqs().includes(5), 'the event after the gap');
		await sleep(300);
		assert.deepEqual(c.seqs(), [1, 5]);
		assert.ok(server.asked.length <= 3, `asked the history ${server.asked.length} times`);
		socket.emit('events', [record(6)]);
		await until(() => c.seqs().includes(6), 'the next one');
	});

	test('a refusal with controls in its message is shown safely', async () => {
		const server = await hostileServer();
		servers.push(server);
		server.io.use((_, next) =>
			next(
				Object.assign(new Error('bad token \u001b]0;PWNED\u0007\u009b6n\u202eevil'), {
					data: {code: 'unauthorized'},
				}),
			),
		);
		const c = client(server.url);
		await until(() => c.states.some((s) => s.status === 'unauthorized'), 'unauthorized');
		const error = c.states.find((s) => s.status === 'unauthorized')?.error ?? '';
		assert.match(error, /^bad token ␛\]0;PWNED␇/);
		assert.equal(forbiddenIn(error), null, JSON.stringify(error));
	});
});

describe('the client and a hostile claude-mpm server', () => {
	/** A server without a hello that emits claude-mpm bodies, the hostile ones first. */
	async function claudeMpmServer() {
		const server = await hostileServer();
		servers.push(server);
		server.io.on('connection', (socket) => {
			socket.emit('tool_event', raw(`{"type":"hook","subtype":"pre_tool","data":${deepJson(5000)}}`));
			for (const key of PROTO_KEYS) {
				socket.emit('hook_event', {type: 'hook', subtype: key, data: {}, timestamp: '1e300'});
				socket.emit('claude_event', {type: key, data: {session_id: key}});
				socket.emit('session_event', {type: key, subtype: key});
			}
			socket.emit('claude_event', null);
			socket.emit('claude_event', 'not an event');
			socket.emit('tool_event', {
				type: 'hook',
				subtype: 'pre_tool',
				timestamp: 8.64e15 + 1,
				data: {tool_name: '\u001b[2J', session_id: 's'},
			});
			socket.emit('hook_event', {
				type: 'hook',
				subtype: 'user_prompt',
				timestamp: '2026-01-02T03:04:05.000Z',
				data: {prompt: 'CANARY', session_id: 's'},
			});
		});
		return server;
	}

	test('openConnection: never throws, the canary arrives, what it skipped is said', async () => {
		const server = await claudeMpmServer();
		const c = client(server.url);
		await until(() => c.events.some((e) => e.summary.includes('CANARY')), 'the canary', 8000);
		assertRecords(c.events);
		assert.deepEqual(
			c.seqs(),
			c.events.map((_, i) => i + 1),
			'numbered one by one',
		);
		assert.match(
			c.problems.join('\n'),
			/skipped an event from the claude-mpm server \(event is nested deeper than 64 levels\)/,
		);
		assert.equal(c.events.at(-1)?.time, '2026-01-02T03:04:05.000Z');
	});

	test('the TUI’s claude-mpm link: the same', async () => {
		const server = await claudeMpmServer();
		const events: EventRecord[] = [];
		const problems: string[] = [];
		const link = openClaudeMpmConnection(
			{url: server.url},
			{onEvents: (batch) => events.push(...batch), onState: () => {}, onProblem: (p) => problems.push(p)},
		);
		closers.push(() => link.close());
		await until(() => events.some((e) => e.summary.includes('CANARY')), 'the canary', 8000);
		assertRecords(events);
		assert.match(problems.join('\n'), /nested deeper than 64 levels/);
	});
});
