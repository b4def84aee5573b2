/**
 * When the server sends `events` to mpm-tui clients: a batch accepted after a quiet gap goes out at
 * once in its own packet; batches accepted within the gap are held and go together at its end.
 * The server's clock is the test's (the `broadcast.now` option), so "at once" is checked as a fact
 * (the packet is already sent when the accepting code returns), not as a duration.
 */
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import type {Socket} from 'socket.io-client';
import {BROADCAST_GAP_MS} from '../source/server/broadcast.js';
import {startServer, type MpmServer} from '../source/server/server.js';
import {
	collectEvents,
	connect,
	connected,
	hookEvent,
	postJson,
	testConfig,
	withTimeout,
} from './helpers/server-kit.js';

const sockets: Socket[] = [];
const servers: MpmServer[] = [];
after(async () => {
	for (const socket of sockets) socket.close();
	await Promise.all(servers.map((s) => s.close()));
});

/** A server on the test's clock; `sentAtAccept` holds, per accepted batch, how many packets had been sent when its listeners ran. */
async function serverWithClock(gapMs?: number) {
	const clock = {ms: 1_000_000};
	const sentAtAccept: number[] = [];
	const server: MpmServer = await startServer(testConfig({journal: false}), {
		broadcast: {gapMs, now: () => clock.ms},
		onAccepted: () => sentAtAccept.push(server.stats().broadcast!.packets),
	});
	servers.push(server);
	const clients = [];
	for (let i = 0; i < 2; i++) {
		const socket = connect(server.url);
		sockets.push(socket);
		const events = collectEvents(socket);
		await connected(socket);
		clients.push(events);
	}
	const post = async (event: Record<string, unknown>) =>
		assert.equal((await postJson(server!.url, '/api/events', event)).status, 202);
	return {server, clock, sentAtAccept, clients, post};
}

const marks = (records: any[]) => records.map((r) => r.payload.mark);

test('a batch accepted after a quiet gap is sent at once, in its own packet; batches within the gap go together at its end', async () => {
	const {clock, sentAtAccept, clients, post} = await serverWithClock(300);
	await post(hookEvent({mark: 'a'}));
	assert.deepEqual(sentAtAccept, [1], 'the first event was sent before the request was answered');
	for (const c of clients) await c.until(1);

	clock.ms += 1;
	await post(hookEvent({mark: 'b'}));
	await post(hookEvent({mark: 'c'}));
	clock.ms += 1;
	await post(hookEvent({mark: 'd'}));
	assert.deepEqual(sentAtAccept, [1, 1, 1, 1], 'events within the gap are held');
	for (const c of clients) {
		await c.until(4);
		assert.equal(c.batches, 2, 'the three held events came in one packet');
		assert.deepEqual(marks(c.records), ['a', 'b', 'c', 'd']);
	}

	clock.ms += 301;
	await post(hookEvent({mark: 'e'}));
	assert.deepEqual(sentAtAccept, [1, 1, 1, 1, 3], 'after a quiet gap the next event goes at once again');
	for (const c of clients) {
		await c.until(5);
		assert.equal(c.batches, 3);
		const seqs = c.records.map((r) => r.seq);
		assert.deepEqual(
			seqs,
			seqs.map((_, i) => seqs[0] + i),
			'seq continues without a gap or a repeat',
		);
		assert.deepEqual(marks(c.records), ['a', 'b', 'c', 'd', 'e']);
	}
});

test('with the default gap, an event a gap after the last packet goes at once, and one sooner waits for the gap', async () => {
	const {clock, sentAtAccept, clients, post} = await serverWithClock();
	await post(hookEvent({mark: 'a'}));
	clock.ms += BROADCAST_GAP_MS;
	await post(hookEvent({mark: 'b'}));
	assert.deepEqual(sentAtAccept, [1, 2], 'each was sent before its request was answered');
	clock.ms += BROADCAST_GAP_MS - 1;
	await post(hookEvent({mark: 'c'}));
	assert.equal(sentAtAccept[2], 2, 'an event sooner than the gap is held');
	for (const c of clients) {
		await c.until(3);
		assert.equal(c.batches, 3);
		assert.deepEqual(marks(c.records), ['a', 'b', 'c']);
	}
});

test('a burst of concurrent POSTs within the gap is coalesced into few packets, every event once and in seq order', async () => {
	const {server, clients, post} = await serverWithClock(2000);
	const n = 200;
	await withTimeout(
		Promise.all(Array.from({length: n}, (_, i) => post(hookEvent({mark: i})))),
		10_000,
		'the POSTs',
	);
	for (const c of clients) {
		await c.until(n, 8000);
		// One packet at once, then one per 2 s of the test's run (the clock stands still, so each timer runs its full gap).
		assert.ok(c.batches <= 4, `${c.batches} packets for ${n} events`);
		assert.equal(c.records.length, n, 'every event once');
		const seqs = c.records.map((r) => r.seq);
		assert.deepEqual(
			seqs,
			seqs.map((_, i) => seqs[0] + i),
			'in seq order, none missing',
		);
		assert.equal(new Set(marks(c.records)).size, n);
	}
	assert.equal(server.stats().broadcast!.packets, clients[0].batches);
});
