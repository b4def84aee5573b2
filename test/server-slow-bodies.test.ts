/**
 * Slow and stalled requests (issue 11, item 16), over real TCP connections to a real server with
 * small limits: request bodies in flight are held to a byte budget (the stalest is refused with
 * 503, Retry-After and a closed connection), a normal POST still gets 202 meanwhile, stalled
 * requests are cut off at the request timeout and headers at the headers timeout, and every such
 * refusal says why in JSON. Memory is measured independently of the server's own count: the
 * Buffer memory of this process (the server runs in it), after a forced collection.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import {startServer, type MpmServer} from '../source/server/server.js';
import {RawConnection, rawRequest} from './helpers/raw-http.js';
import {hookEvent, postJson, request, testConfig} from './helpers/server-kit.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Bytes in Buffers and ArrayBuffers, after a full collection. */
function bufferBytes(): number {
	gc();
	gc();
	return process.memoryUsage().arrayBuffers;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const LIMITS = {maxInflightBodyBytes: 4 * MiB, headersTimeoutMs: 1000, requestTimeoutMs: 3000};

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
	const deadline = performance.now() + ms;
	while (!check()) {
		if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('request bodies in flight are bounded, and slow requests are cut off', () => {
	let server: MpmServer;
	before(async () => {
		server = await startServer(testConfig({journal: false}), {limits: LIMITS});
	});
	after(() => server.close());

	test('24 connections stalling after 512 KiB of a 1 MB body: at most 4 MiB held, the stalest refused with 503, a normal POST gets 202, the rest closed at the request timeout', async (t) => {
		const port = server.port;
		const part = Buffer.alloc(512 * KiB, 0x20);
		const head = `POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${MiB}\r\n\r\n`;
		const base = bufferBytes();
		let maxHeld = 0;
		const sampler = setInterval(() => (maxHeld = Math.max(maxHeld, server.guard().bodies.bytesInFlight)), 2);
		const connections: RawConnection[] = [];
		const startedAt: number[] = [];
		try {
			for (let i = 0; i < 24; i++) {
				const connection = await RawConnection.open(port);
				connections.push(connection);
				startedAt.push(performance.now());
				await connection.write(head);
				await connection.write(part);
			}
			// Until everything sent has been read: 16 given up, the 8 newest held (8 × 512 KiB is the budget).
			await until(
				() => server.guard().bodies.evicted === 16 && server.guard().bodies.bytesInFlight === 8 * 512 * KiB,
				1500,
				'the server to read every stalled body',
			).catch(() => {});
		} finally {
			clearInterval(sampler);
		}
		const held = bufferBytes() - base;
		t.diagnostic(
			`Buffer memory while stalled: +${(held / MiB).toFixed(2)} MiB; most counted in flight: ${(maxHeld / MiB).toFixed(2)} MiB`,
		);
		assert.ok(
			held < LIMITS.maxInflightBodyBytes + MiB,
			`the process holds ${(held / MiB).toFixed(1)} MiB more in Buffers than before (12 MiB were sent)`,
		);
		assert.ok(
			maxHeld <= LIMITS.maxInflightBodyBytes,
			`the server counted ${maxHeld} bytes in flight at one point`,
		);
		assert.equal(server.guard().bodies.evicted, 16);
		assert.equal(server.guard().bodies.bytesInFlight, 8 * 512 * KiB);

		const refused = connections.slice(0, 16);
		for (const connection of refused) {
			const answer = await connection.response(5000);
			assert.equal(answer.status, 503);
			assert.equal(answer.headers['retry-after'], '1');
			assert.equal(answer.headers.connection, 'close');
			assert.match(
				answer.json.error,
				/^the server holds too many unfinished request bodies \(4194304 bytes at most across all connections\); this one waited longest for its next bytes\. Send again in 1 s$/,
			);
		}
		await Promise.all(refused.map((c) => c.closed));
		const stalled = connections.slice(16);
		assert.ok(
			stalled.every((c) => !c.answered),
			'the 8 newest are still being received',
		);

		// A normal POST arrives whole: it gets through, and the stalest of the stalled makes room.
		const marker = `normal-${Math.random().toString(36).slice(2)}`;
		const normal = await postJson(
			server.url,
			'/api/events',
			hookEvent({hook_event_name: 'Notification', message: marker}),
		);
		assert.equal(normal.status, 202);
		assert.equal(server.guard().bodies.evicted, 17);
		assert.equal((await stalled[0].response(5000)).status, 503);
		const events = (await request(`${server.url}/api/events?since=0`)).json.events;
		assert.ok(events.some((e: any) => e.payload.message === marker));

		for (const [i, connection] of stalled.slice(1).entries()) {
			const answer = await connection.response(LIMITS.requestTimeoutMs + 3000);
			const after = performance.now() - startedAt[17 + i];
			assert.equal(answer.status, 408);
			assert.match(
				answer.json.error,
				/^the request did not arrive in time: headers must arrive within 1000 ms and the whole request within 3000 ms; the connection is closed$/,
			);
			assert.ok(
				after >= LIMITS.requestTimeoutMs - 50 && after < LIMITS.requestTimeoutMs + 2000,
				`cut off after ${Math.round(after)} ms`,
			);
			await connection.closed;
		}
		await until(() => server.guard().bodies.inFlight === 0, 2000, 'the budget to be free');
		assert.deepEqual(server.guard().bodies, {
			bytesInFlight: 0,
			inFlight: 0,
			limitBytes: LIMITS.maxInflightBodyBytes,
			evicted: 17,
		});
	});

	test('headers that never end, and a connection that sends nothing, are answered 408 in JSON and closed at the headers timeout', async () => {
		const started = performance.now();
		const partial = await RawConnection.open(server.port);
		await partial.write(`GET /api/events?since=0 HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
		const silent = await RawConnection.open(server.port);
		for (const connection of [partial, silent]) {
			const answer = await connection.response(LIMITS.headersTimeoutMs + 3000);
			const after = performance.now() - started;
			assert.equal(answer.status, 408);
			assert.match(answer.json.error, /^the request did not arrive in time/);
			assert.ok(
				after >= LIMITS.headersTimeoutMs - 50 && after < LIMITS.headersTimeoutMs + 2000,
				`cut off after ${Math.round(after)} ms`,
			);
			await connection.closed;
		}
	});

	test('a request Node cannot parse, and headers that are too large, are answered in JSON', async () => {
		const garbage = await rawRequest(server.port, 'HELLO THERE\r\n\r\n');
		assert.equal(garbage.status, 400);
		assert.match(garbage.json.error, /^malformed HTTP request \(HPE_/);
		const huge = await rawRequest(
			server.port,
			`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Filler: ${'a'.repeat(20 * KiB)}\r\n\r\n`,
		);
		assert.equal(huge.status, 431);
		assert.match(huge.json.error, /^the request headers are larger than \d+ bytes$/);
	});
});
