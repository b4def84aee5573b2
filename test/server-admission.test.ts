/**
 * Socket.IO admission (issue 11, item 15): bare Engine.IO handshakes (real HTTP requests to
 * `/socket.io/?EIO=4&transport=polling` that never connect to a namespace) must not lock out a
 * client that holds the token. The connection limit counts admitted connections only; the ones
 * still waiting are few and short-lived; a handshake carrying the token skips the wait.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {io, type Socket} from 'socket.io-client';
import {openConnection, type Connection, type ConnectionState} from '../source/client/connection.js';
import {DEFAULT_SERVER_LIMITS} from '../source/server/server-limits.js';
import {startServer, type MpmServer} from '../source/server/server.js';
import {rawRequest, requestText, type RawAnswer} from './helpers/raw-http.js';
import {connected, testConfig, withTimeout} from './helpers/server-kit.js';

/** `count` bare polling handshakes, `parallel` at a time; their answers in order. */
async function bareHandshakes(port: number, count: number, parallel = 16): Promise<RawAnswer[]> {
	const answers: RawAnswer[] = [];
	for (let start = 0; start < count; start += parallel) {
		const batch = Array.from({length: Math.min(parallel, count - start)}, () =>
			rawRequest(
				port,
				requestText('GET', '/socket.io/?EIO=4&transport=polling', {Host: `127.0.0.1:${port}`}),
			),
		);
		answers.push(...(await Promise.all(batch)));
	}
	return answers;
}

const opened = (answer: RawAnswer) => answer.status === 200 && answer.body.startsWith('0{"sid":');

/** The TUI's own client; resolves with the time it took to reach `connected`, rejects on `unauthorized` or after `ms`. */
function tuiClient(
	url: string,
	token: string,
	ms: number,
): {connection: Connection; ready: Promise<number>; states: ConnectionState[]} {
	const states: ConnectionState[] = [];
	const started = performance.now();
	let settle: {resolve(ms: number): void; reject(error: Error): void};
	const ready = withTimeout(
		new Promise<number>((resolve, reject) => {
			settle = {resolve, reject};
		}),
		ms,
		'the TUI client to connect',
	);
	const connection = openConnection(
		{url, token},
		{
			onEvents: () => {},
			onState: (state) => {
				states.push(state);
				if (state.status === 'connected') settle.resolve(performance.now() - started);
				if (state.status === 'unauthorized') settle.reject(new Error(`unauthorized: ${state.error}`));
			},
		},
	);
	return {connection, ready, states};
}

describe('with a token and the default limits, 101 bare handshakes do not keep a token holder out', () => {
	let server: MpmServer;
	const sockets: Socket[] = [];
	const connections: Connection[] = [];
	before(async () => {
		server = await startServer(testConfig({journal: false, token: 'tok'}));
	});
	after(async () => {
		for (const s of sockets) s.close();
		for (const c of connections) c.close();
		await server.close();
	});

	test('the handshakes beyond the waiting room are refused with 503 and the reason; the TUI client and socket.io-client with the token get in at once', async () => {
		const answers = await bareHandshakes(server.port, 101);

		// The TUI's client sends the token on the handshake as well as in auth.
		const tui = tuiClient(server.url, 'tok', 3000);
		connections.push(tui.connection);
		const took = await tui.ready;
		assert.ok(took < 2000, `the TUI client took ${Math.round(took)} ms`);

		// Any socket.io-client that puts the token on the handshake, over polling too.
		const polling = io(server.url, {
			auth: {client: 'mpm-tui', token: 'tok'},
			extraHeaders: {Authorization: 'Bearer tok'},
			transports: ['polling'],
			reconnection: false,
			forceNew: true,
			timeout: 3000,
		});
		sockets.push(polling);
		await connected(polling);

		const waiting = DEFAULT_SERVER_LIMITS.maxWaitingHandshakes;
		assert.equal(answers.filter(opened).length, waiting);
		const refused = answers.filter((a) => !opened(a));
		assert.equal(refused.length, 101 - waiting);
		for (const answer of refused) {
			assert.equal(answer.status, 503);
			assert.equal(answer.headers['retry-after'], '1');
			assert.match(
				answer.json.error,
				/^too many Socket\.IO connections are waiting to connect to a namespace \(64 at most\) \(send the token on the handshake/,
			);
		}
		assert.deepEqual(server.guard().sockets, {admitted: 2, waiting});
	});
});

describe('waiting connections are few and short-lived; the limit counts admitted connections only', () => {
	let server: MpmServer;
	const sockets: Socket[] = [];
	before(async () => {
		server = await startServer(testConfig({journal: false, token: 'tok'}, {MPM_TUI_MAX_CONNECTIONS: '2'}), {
			limits: {connectTimeoutMs: 400, maxWaitingHandshakes: 4},
		});
	});
	after(async () => {
		for (const s of sockets) s.close();
		await server.close();
	});

	const authOnly = (token: string) => {
		// The token only in the namespace connect, as claude-mpm's clients send it.
		const socket = io(server.url, {
			auth: {token},
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
			timeout: 3000,
		});
		sockets.push(socket);
		return socket;
	};

	test('a full waiting room refuses bare handshakes until connectTimeout closes them; then a client with the token in auth only gets in', async () => {
		const answers = await bareHandshakes(server.port, 5, 1);
		assert.deepEqual(
			answers.map((a) => a.status),
			[200, 200, 200, 200, 503],
		);
		await assert.rejects(connected(authOnly('tok')), /websocket error/);

		const started = performance.now();
		while (server.guard().sockets.waiting > 0) {
			assert.ok(performance.now() - started < 3000, 'the waiting connections were not closed');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		const sid = JSON.parse(answers[0].body.slice(1)).sid as string;
		const stale = await rawRequest(
			server.port,
			requestText('GET', `/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
				Host: `127.0.0.1:${server.port}`,
			}),
		);
		assert.equal(stale.status, 400, 'the session of a bare handshake is gone');
		await connected(authOnly('tok'));
	});

	test('bare handshakes take no place under the limit; beyond it the reason is given; a freed place is taken again', async () => {
		// One admitted from the previous test; one more, with waiting handshakes around.
		assert.equal(server.guard().sockets.admitted, 1);
		await bareHandshakes(server.port, 3, 1);
		const second = authOnly('tok');
		await connected(second);
		const third = authOnly('tok');
		await assert.rejects(connected(third), /^Error: too many connections: this server allows 2 /);
		second.close();
		const started = performance.now();
		while (server.guard().sockets.admitted > 1) {
			assert.ok(performance.now() - started < 3000, 'the closed connection still counts');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await connected(authOnly('tok'));
	});

	const noneWaiting = async () => {
		const started = performance.now();
		while (server.guard().sockets.waiting > 0) {
			assert.ok(performance.now() - started < 3000, 'connections still waiting');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	};

	test('a wrong token is refused at the namespace with the reason, also when it comes on the handshake', async () => {
		await noneWaiting();
		const wrong = io(server.url, {
			auth: {token: 'nope'},
			extraHeaders: {Authorization: 'Bearer nope'},
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
			timeout: 3000,
		});
		sockets.push(wrong);
		await assert.rejects(connected(wrong), /missing or wrong token/);
		wrong.close();
		await noneWaiting();
		const tui = tuiClient(server.url, 'nope', 3000);
		await assert.rejects(tui.ready, /unauthorized: missing or wrong token/);
		tui.connection.close();
	});
});
