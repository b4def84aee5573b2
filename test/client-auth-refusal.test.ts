// An auth refusal is told from the refusal's data (`data.code === 'unauthorized'`), not from
// words in its message: real servers on free loopback ports, the real client.
import assert from 'node:assert/strict';
import http from 'node:http';
import {describe, test} from 'node:test';
import {Server} from 'socket.io';
import {io as connect} from 'socket.io-client';
import {openConnection, type ConnectionState} from '../source/client/connection.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {testConfig, withTimeout} from './helpers/server-kit.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await sleep(15);
	}
}

function recorder() {
	const states: ConnectionState[] = [];
	return {states, handlers: {onEvents: () => {}, onState: (s: ConnectionState) => states.push(s)}};
}

/** A plain Socket.IO server whose middleware refuses the connects it is told to, then admits. */
async function refusingServer(
	refusals: Error[],
): Promise<{url: string; attempts: () => number; close(): Promise<void>}> {
	const port = await freePort();
	const httpServer = http.createServer();
	const io = new Server(httpServer);
	let attempts = 0;
	io.use((_socket, next) => {
		const refusal = refusals[attempts++];
		next(refusal);
	});
	await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${port}`,
		attempts: () => attempts,
		close: () => new Promise<void>((resolve) => io.close(() => resolve())),
	};
}

describe('auth refusal', () => {
	test("the server's token refusal carries data.code 'unauthorized'; the client stops there", async () => {
		const server = await startServer(testConfig({journal: false, token: 'right'}));
		const raw = connect(server.url, {auth: {token: 'wrong'}, transports: ['websocket'], reconnection: false});
		const r = recorder();
		const c = openConnection({url: server.url, token: 'wrong'}, r.handlers);
		try {
			const error = await withTimeout(
				new Promise<Error & {data?: unknown}>((resolve) => raw.on('connect_error', resolve)),
				5000,
				'connect_error',
			);
			assert.equal(error.message, 'missing or wrong token');
			assert.deepEqual(error.data, {code: 'unauthorized'});

			await until(() => r.states.some((s) => s.status === 'unauthorized'), 'unauthorized');
			const at = r.states.findIndex((s) => s.status === 'unauthorized');
			assert.equal(r.states[at].error, 'missing or wrong token');
			// A retry would come within 5 s (the client's delay after a refusal) and report a state.
			await sleep(5800);
			assert.deepEqual(
				r.states.slice(at + 1).map((s) => s.status),
				[],
				'nothing after unauthorized: no retry',
			);
		} finally {
			raw.close();
			c.close();
			await server.close();
		}
	});

	test('a refusal that mentions "token" without the unauthorized code is tried again', async () => {
		// A rate limiter's words: nothing to do with the token; the next try is admitted.
		const server = await refusingServer([new Error('token bucket exhausted, try again later')]);
		const r = recorder();
		const c = openConnection({url: server.url}, r.handlers);
		try {
			await until(() => r.states.some((s) => s.status === 'connected'), 'connected after a retry');
			assert.equal(server.attempts(), 2);
			assert.ok(!r.states.some((s) => s.status === 'unauthorized'), 'never unauthorized');
			assert.ok(
				r.states.some((s) => s.status === 'reconnecting' && /token bucket exhausted/.test(s.error ?? '')),
				'the refusal is shown while it waits',
			);
		} finally {
			c.close();
			await server.close();
		}
	});

	test('the code decides, whatever the words: \'too-many-connections\' saying "token" is tried again', async () => {
		const refusal = Object.assign(new Error('wrong token count'), {data: {code: 'too-many-connections'}});
		const server = await refusingServer([refusal]);
		const r = recorder();
		const c = openConnection({url: server.url}, r.handlers);
		try {
			await until(() => r.states.some((s) => s.status === 'connected'), 'connected after a retry');
			assert.ok(!r.states.some((s) => s.status === 'unauthorized'), 'never unauthorized');
		} finally {
			c.close();
			await server.close();
		}
	});

	test('an older server (no data, its exact words) is still understood as unauthorized', async () => {
		const server = await refusingServer([new Error('missing or wrong token')]);
		const r = recorder();
		const c = openConnection({url: server.url, token: 'x'}, r.handlers);
		try {
			await until(() => r.states.some((s) => s.status === 'unauthorized'), 'unauthorized');
		} finally {
			c.close();
			await server.close();
		}
	});
});
