/**
 * `X-Mpm-After` at the real server (source/server/ordering.ts), over real HTTP: an event is given
 * its seq only after the events it names, briefly held when they are missing, never lost; and the
 * spool drain's window (source/server/spool-order.ts), which hands spooled lines of the sh
 * forwarder on in the order their hooks started.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {Pipeline} from '../source/server/pipeline.js';
import {startServer, type MpmServer} from '../source/server/server.js';
import {drainSpool, type IngestOne} from '../source/server/spool.js';
import {SpoolOrder, startedBefore, startKeyOf, startKeyOfLine} from '../source/server/spool-order.js';
import {hookEvent, request, tempDir, testConfig, type HttpAnswer} from './helpers/server-kit.js';

/** POSTs one hook event as the sh forwarder does, with its id and the ids it names. */
function post(
	server: MpmServer,
	id: string,
	after?: string,
	event: unknown = hookEvent(),
): Promise<HttpAnswer> {
	const headers: Record<string, string> = {'Content-Type': 'application/json', 'X-Mpm-Id': id};
	if (after !== undefined) headers['X-Mpm-After'] = after;
	return request(`${server.url}/api/events`, {method: 'POST', headers, body: JSON.stringify(event)});
}

/** Ids in the server's history, in seq order. */
async function idsInOrder(server: MpmServer): Promise<string[]> {
	const page = await request(`${server.url}/api/events?since=0`);
	return page.json.events.map((record: {id: string}) => record.id);
}

/** Resolves with the answer, and records when it came. */
function timed(promise: Promise<HttpAnswer>): {answer: Promise<HttpAnswer>; at: () => number | undefined} {
	let at: number | undefined;
	const answer = promise.then((value) => {
		at = Date.now();
		return value;
	});
	return {answer, at: () => at};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until `count` requests are held at the server (a loaded machine may take a while to deliver one). */
async function untilHeld(s: MpmServer, count: number): Promise<void> {
	const deadline = Date.now() + 5000;
	while ((s.stats().order?.waiting ?? 0) < count) {
		if (Date.now() > deadline)
			throw new Error(`${count} request(s) not held after 5 s: ${JSON.stringify(s.stats().order)}`);
		await sleep(5);
	}
}

async function server(
	t: {after(fn: () => unknown): void},
	options: Parameters<typeof startServer>[1] = {},
	config = testConfig({journal: false}),
): Promise<MpmServer> {
	const started = await startServer(config, options);
	t.after(() => started.close());
	return started;
}

describe('X-Mpm-After: an event is given its seq after the events it names', () => {
	test('an event that names one not yet arrived is answered only once that one is in, and comes after it', async (t) => {
		const s = await server(t, {order: {holdMs: 5000, maxHoldMs: 6000}});
		const b = timed(post(s, 'ev-b', 'ev-a'));
		await untilHeld(s, 1);
		await sleep(100);
		assert.equal(b.at(), undefined, 'held while ev-a is missing');
		assert.equal(s.stats().order!.waiting, 1);
		const a = await post(s, 'ev-a');
		const answerB = await b.answer;
		assert.equal(a.status, 202);
		assert.equal(answerB.status, 202);
		assert.equal(answerB.json.lastSeq, a.json.lastSeq + 1);
		assert.deepEqual(await idsInOrder(s), ['ev-a', 'ev-b']);
		assert.deepEqual(
			{...s.stats().order!, longestMs: 0},
			{held: 1, timedOut: 0, overflow: 0, waiting: 0, longestMs: 0},
		);
	});

	test('a chain that arrives backwards (C names B, B names A) comes out A, B, C', async (t) => {
		const s = await server(t, {order: {holdMs: 5000, maxHoldMs: 6000}});
		const c = post(s, 'ev-c', 'ev-b,ev-a');
		await untilHeld(s, 1);
		const b = post(s, 'ev-b', 'ev-a');
		await untilHeld(s, 2);
		await post(s, 'ev-a');
		assert.deepEqual([(await b).status, (await c).status], [202, 202]);
		assert.deepEqual(await idsInOrder(s), ['ev-a', 'ev-b', 'ev-c']);
		assert.equal(s.stats().order!.timedOut, 0);
	});

	test('an event named but already answered (accepted, a duplicate, or refused) holds nothing', async (t) => {
		// A hold this long would show in the answer's time whatever the machine's load.
		const s = await server(t, {order: {holdMs: 5000, maxHoldMs: 6000}});
		assert.equal((await post(s, 'ev-1')).status, 202);
		assert.equal((await post(s, 'ev-1')).json.duplicates, 1);
		const refused = await request(`${s.url}/api/events`, {
			method: 'POST',
			headers: {'Content-Type': 'application/json', 'X-Mpm-Id': 'ev-bad'},
			body: '{"no":"type"}',
		});
		assert.equal(refused.status, 400);
		const started = Date.now();
		assert.equal((await post(s, 'ev-2', 'ev-1,ev-bad')).status, 202);
		assert.equal(s.stats().order!.held, 0, 'never held');
		assert.ok(Date.now() - started < 4000, 'answered before any hold would end');
	});

	test('an in-order stream is not delayed: 200 events, each naming the 16 before it (all answered already), are answered as fast as events naming none', async (t) => {
		// A hold this long would show in any answer it touched.
		const s = await server(t, {order: {holdMs: 2000, maxHoldMs: 4000}});
		const withAfter: number[] = [];
		const without: number[] = [];
		const ids: string[] = [];
		for (let i = 0; i < 200; i++) {
			// Alternated, so that both share the machine's load of the moment.
			const id = `in-order-${i}`;
			const after = ids.slice(-16).join(',');
			let started = performance.now();
			assert.equal((await post(s, id, after === '' ? undefined : after)).status, 202);
			withAfter.push(performance.now() - started);
			ids.push(id);
			started = performance.now();
			assert.equal((await post(s, `plain-${i}`)).status, 202);
			without.push(performance.now() - started);
		}
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
		// Each pair's difference shares the load of its moment; a wait on every event (even 1 ms) shows in its median.
		const extra = median(withAfter.map((ms, i) => ms - without[i]));
		t.diagnostic(
			`median answer: ${median(withAfter).toFixed(2)} ms naming 16, ${median(without).toFixed(2)} ms naming none, median of paired differences ${extra.toFixed(2)} ms; slowest ${Math.max(...withAfter).toFixed(1)} ms`,
		);
		assert.ok(
			Math.max(...withAfter) < 1000,
			`no answer held (slowest ${Math.max(...withAfter).toFixed(1)} ms)`,
		);
		assert.ok(
			extra < 1,
			`the same time as without the header (median of paired differences ${extra.toFixed(2)} ms)`,
		);
		assert.equal(s.stats().order!.held, 0);
	});

	test('a named event that never comes is waited for briefly, then given up: nothing is lost, and it is not waited for again', async (t) => {
		const s = await server(t, {order: {holdMs: 1000, maxHoldMs: 2000}});
		const started = Date.now();
		const first = await post(s, 'ev-1', 'ev-gone');
		const waited = Date.now() - started;
		assert.equal(first.status, 202);
		assert.ok(waited >= 990, `held for the hold (${waited} ms)`);
		assert.equal(s.stats().order!.held, 1);
		const again = Date.now();
		assert.equal((await post(s, 'ev-2', 'ev-gone')).status, 202);
		assert.equal(s.stats().order!.held, 1, 'given up: not held a second time');
		assert.ok(Date.now() - again < 990, 'answered before a second hold would end');
		assert.deepEqual(await idsInOrder(s), ['ev-1', 'ev-2']);
		const order = s.stats().order!;
		assert.equal(order.held, 1);
		assert.equal(order.timedOut, 1);
	});

	test('a cycle (which no forwarder sends) holds each side no longer than the longest hold', async (t) => {
		const s = await server(t, {order: {holdMs: 150, maxHoldMs: 300}});
		const started = Date.now();
		const [x, y] = await Promise.all([post(s, 'ev-x', 'ev-y'), post(s, 'ev-y', 'ev-x')]);
		assert.deepEqual([x.status, y.status], [202, 202]);
		assert.ok(Date.now() - started < 1500, `both answered (${Date.now() - started} ms)`);
		assert.deepEqual((await idsInOrder(s)).sort(), ['ev-x', 'ev-y']);
		assert.equal(s.stats().order!.waiting, 0);
	});

	test('over the bound on held events, an event is not held at all (order gives way before anything else)', async (t) => {
		const s = await server(t, {order: {maxHeld: 1, holdMs: 5000, maxHoldMs: 6000}});
		const held = post(s, 'ev-1', 'ev-missing-1');
		await untilHeld(s, 1);
		const started = Date.now();
		assert.equal((await post(s, 'ev-2', 'ev-missing-2')).status, 202);
		assert.equal(s.stats().order!.overflow, 1);
		assert.equal(s.stats().order!.held, 1, 'not held');
		assert.ok(Date.now() - started < 4000, 'answered before a hold would end');
		await post(s, 'ev-missing-1');
		assert.equal((await held).status, 202);
		assert.deepEqual(await idsInOrder(s), ['ev-2', 'ev-missing-1', 'ev-1']);
	});

	test('a malformed X-Mpm-After is refused with a clear reason, and nothing is ingested', async (t) => {
		const s = await server(t);
		for (const after of [
			'bad id!',
			Array.from({length: 17}, (_, i) => `e${i}`).join(','),
			'a,,b',
			'x'.repeat(129),
		]) {
			const answer = await post(s, 'ev-1', after);
			assert.equal(answer.status, 400, after);
			assert.match(
				answer.json.error,
				/^X-Mpm-After must be up to 16 event ids \(each 1 to 128 letters, digits, dots, dashes, colons or underscores\), separated by commas, got "/,
			);
		}
		assert.equal(s.stats().events.total, 0);
		const preflight = await request(`${s.url}/api/events`, {
			method: 'OPTIONS',
			headers: {Origin: 'http://127.0.0.1:3000'},
		});
		assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Mpm-After/);
	});

	test('an event held when the server closes is stored before it closes (and found after a restart)', async (t) => {
		const stateDir = tempDir();
		const config = testConfig({}, {}, stateDir);
		const first = await startServer(config);
		const held = post(first, 'ev-held', 'ev-never').catch(() => undefined);
		await untilHeld(first, 1);
		assert.equal(first.stats().order!.waiting, 1);
		await first.close();
		await held;
		const second = await server(t, {}, testConfig({}, {}, stateDir));
		assert.deepEqual(await idsInOrder(second), ['ev-held']);
	});

	test('an event that names one the forwarder spooled is released when the drain takes that one', async (t) => {
		const config = testConfig({journal: false});
		const s = await server(t, {spoolIntervalMs: 100, order: {holdMs: 5000, maxHoldMs: 6000}}, config);
		const b = post(s, 'ev-b', 'ev-a');
		await untilHeld(s, 1);
		fs.writeFileSync(
			config.spool,
			JSON.stringify({mpm_spool: 1, id: 'ev-a', receivedAt: Date.now(), event: hookEvent()}) + '\n',
			{mode: 0o600},
		);
		assert.equal((await b).status, 202);
		assert.deepEqual(await idsInOrder(s), ['ev-a', 'ev-b']);
		assert.equal(s.stats().order!.timedOut, 0, 'released by the drain, not by the clock');
	});
});

describe('the drain hands the sh forwarder spooled lines on in the order their hooks started', () => {
	const BOOT = '5047feea';
	const shId = (pid: number, tick: number, boot = BOOT) => `s${pid}-${tick}-${boot}`;
	const line = (id: string) =>
		JSON.stringify({mpm_spool: 1, id, receivedAt: 1_700_000_000_000, event: hookEvent()}) + '\n';

	test('start keys: a later tick, or the same tick and a later pid (wrapping around pid_max)', () => {
		assert.deepEqual(startKeyOf('s1234-98765-5047feea'), {pid: 1234, tick: 98765, boot: '5047feea'});
		for (const other of [
			'lz3k-1a-xyz',
			's1733000000000-1234-123456',
			's12345678-1-5047feea',
			's1-2-5047feeaa',
			'S1-2-5047feea',
		])
			assert.equal(startKeyOf(other), undefined, other);
		const key = (pid: number, tick: number) => startKeyOf(shId(pid, tick))!;
		assert.ok(startedBefore(key(900, 10), key(100, 11)), 'an earlier tick, whatever the pids');
		assert.ok(startedBefore(key(100, 10), key(101, 10)), 'same tick, the lower pid');
		assert.ok(!startedBefore(key(101, 10), key(100, 10)));
		assert.ok(startedBefore(key(32_760, 10), key(300, 10)), 'same tick, far lower pid: wrapped around');
		assert.ok(!startedBefore(key(300, 10), key(32_760, 10)));
		assert.ok(!startedBefore(key(100, 10), key(100, 10)), 'not before itself');
		assert.deepEqual(startKeyOfLine(Buffer.from(line(shId(7, 8)))), {pid: 7, tick: 8, boot: BOOT});
		assert.equal(
			startKeyOfLine(Buffer.from(JSON.stringify({id: shId(7, 8), mpm_spool: 1, event: {}}))),
			undefined,
			'only the forwarders layout',
		);
	});

	test('the window: keyed lines in start order; any other line keeps its place; a new boot or the bounds let everything before out', () => {
		const order = new SpoolOrder<string>({lines: 3, bytes: 100});
		const k = (pid: number, tick: number, boot = BOOT) => startKeyOf(shId(pid, tick, boot));
		const out: string[] = [];
		out.push(...order.add('c', k(3, 10), 1), ...order.add('a', k(1, 10), 1), ...order.add('b', k(2, 10), 1));
		assert.equal(out.length, 0, 'held back');
		out.push(...order.add('node', undefined, 1));
		assert.deepEqual(out, ['a', 'b', 'c', 'node']);
		out.length = 0;
		out.push(
			...order.add('y', k(9, 20), 1),
			...order.add('x', k(8, 20), 1),
			...order.add('other boot', k(1, 1, 'abcdef01'), 1),
		);
		assert.deepEqual(out, ['x', 'y']);
		out.length = 0;
		out.push(...order.add('p', k(5, 30), 1), ...order.add('q', k(4, 30), 1), ...order.add('r', k(6, 30), 1));
		assert.deepEqual(out, ['other boot'], 'over 3 lines: the earliest goes');
		out.push(...order.add('huge', k(1, 30), 101), ...order.flush());
		assert.deepEqual(
			out,
			['other boot', 'q', 'p', 'r', 'huge'],
			'a line over the byte bound is not held, and keeps its place',
		);
	});

	test('a drained spool file: lines out of order come out in start order, a Node forwarder line keeps its place', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		const ids = [
			shId(12, 100),
			shId(10, 100),
			shId(11, 100),
			'lz3k9-1a2b-node',
			shId(14, 101),
			shId(13, 101),
		];
		fs.writeFileSync(spool, ids.map(line).join(''));
		const pipeline = new Pipeline({capacity: 100});
		const report = drainSpool(
			spool,
			(text, meta) => pipeline.ingestText(text, 'application/json', meta),
			Date.now() + 60_000,
		);
		assert.equal(report.accepted, 6);
		assert.deepEqual(
			pipeline.history.toArray().map((r) => r.id),
			[shId(10, 100), shId(11, 100), shId(12, 100), 'lz3k9-1a2b-node', shId(13, 101), shId(14, 101)],
		);
	});

	test('a storage fault while lines are held back: the rest is kept from the first line not delivered, and nothing is lost or accepted twice', () => {
		const dir = tempDir();
		const spool = path.join(dir, 'spool.ndjson');
		// In the file: 3, 1, 2, 4. Delivered: 1, 2, then the journal "fills up" at 3.
		const ids = [shId(3, 50), shId(1, 50), shId(2, 50), shId(4, 50)];
		fs.writeFileSync(spool, ids.map(line).join(''));
		const pipeline = new Pipeline({capacity: 100});
		// The real pipeline; in the first drain its journal "fills up" after two events.
		let drain = 1;
		let faulty = false;
		const ingest: IngestOne = (text, meta) => {
			if (faulty)
				return {
					accepted: 0,
					duplicates: 0,
					lastSeq: pipeline.lastSeq,
					rejected: [],
					records: [],
					fault: {code: 'ENOSPC', message: 'no space left on device'},
				};
			const result = pipeline.ingestText(text, 'application/json', meta);
			faulty = drain === 1 && pipeline.total === 2;
			return result;
		};
		const first = drainSpool(spool, ingest, Date.now() + 60_000);
		assert.equal(first.accepted, 2);
		assert.match(first.stopped ?? '', /stopped at line 1 of /);
		const kept = fs.readdirSync(dir).filter((name) => name.includes('draining'));
		assert.equal(kept.length, 1);
		assert.doesNotMatch(kept[0], /\.at-/, 'resumes at the first line, which was not delivered');
		drain = 2;
		faulty = false;
		const second = drainSpool(spool, ingest, Date.now() + 60_000);
		assert.equal(second.accepted, 2);
		assert.equal(second.duplicates, 2, 'the two delivered before the fault are read again and dropped by id');
		assert.deepEqual(
			pipeline.history.toArray().map((r) => r.id),
			[shId(1, 50), shId(2, 50), shId(3, 50), shId(4, 50)],
		);
		assert.deepEqual(fs.readdirSync(dir), []);
	});
});
