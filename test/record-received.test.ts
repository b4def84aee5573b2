/**
 * The record's two times: `time`, when the event happened as its source says, and `received`, when
 * the server took it in. Records written before `received` existed (an older journal, an older
 * server's answers, a replay file) are still read, with their `time` as `received`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {test} from 'node:test';
import {normalize} from '../source/core/normalize.js';
import {checkRecord} from '../source/core/record-check.js';
import {sourceTime} from '../source/core/source-time.js';
import {startServer} from '../source/server/server.js';
import {
	connect,
	connected,
	collectEvents,
	postJson,
	request,
	tempDir,
	testConfig,
} from './helpers/server-kit.js';

/** A record line as servers wrote them before `received` existed. */
const oldLine = (seq: number) =>
	JSON.stringify({
		seq,
		id: `old${seq}`,
		time: `2025-06-0${seq}T10:00:00.000Z`,
		session: 's-old',
		type: 'Stop',
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: null,
		summary: 'stop',
		source: 'hook',
		payload: {n: seq},
	});

test('a journal written before `received` existed is replayed whole; its records get their time as `received`, new ones the receive time', async () => {
	const dir = tempDir();
	const config = testConfig({}, {}, dir);
	fs.writeFileSync(config.journal!, `${oldLine(1)}\n${oldLine(2)}\n`);
	const server = await startServer(config);
	try {
		assert.equal(server.stats().journal.replayed, 2);
		assert.equal(server.stats().journal.skipped, 0);
		const before = Date.now();
		const answer = await postJson(
			server.url,
			'/api/events',
			{hook_event_name: 'Stop', session_id: 's-new'},
			{'X-Mpm-Received': '1700000000000'},
		);
		assert.equal(answer.json.lastSeq, 3);
		const {events} = (await request(`${server.url}/api/events?since=0`)).json;
		assert.deepEqual(events.map((e: {time: string; received: string}) => [e.time, e.received]).slice(0, 2), [
			['2025-06-01T10:00:00.000Z', '2025-06-01T10:00:00.000Z'],
			['2025-06-02T10:00:00.000Z', '2025-06-02T10:00:00.000Z'],
		]);
		assert.equal(events[2].time, '2023-11-14T22:13:20.000Z', "the forwarder's stamp");
		assert.ok(Date.parse(events[2].received) >= before - 1, "the server's clock");
		// A client catching up gets the same.
		const client = connect(server.url, {client: 'mpm-tui'});
		try {
			await connected(client);
			const history = await client.timeout(3000).emitWithAck('history', {since: 0, limit: 10});
			assert.deepEqual(history.events.map((e: {received: string}) => e.received).slice(0, 2), [
				'2025-06-01T10:00:00.000Z',
				'2025-06-02T10:00:00.000Z',
			]);
		} finally {
			client.close();
		}
	} finally {
		await server.close();
	}
	const lines = fs.readFileSync(config.journal!, 'utf8').trim().split('\n');
	assert.equal(lines.length, 3, 'the old lines are kept as they were');
	assert.equal(JSON.parse(lines[0]).received, undefined);
	assert.equal(typeof JSON.parse(lines[2]).received, 'string', 'a new line has it');
});

test('a journal line with a `received` that is not a time is skipped, as a bad `time` is', async () => {
	const config = testConfig({}, {}, tempDir());
	const bad = JSON.stringify({...JSON.parse(oldLine(2)), received: 'soon'});
	fs.writeFileSync(config.journal!, `${oldLine(1)}\n${bad}\n`);
	const server = await startServer(config);
	try {
		assert.equal(server.stats().journal.replayed, 1);
		assert.equal(server.stats().journal.skipped, 1);
	} finally {
		await server.close();
	}
});

test('records sent in keep their times; one without `received` has its time as `received`; a bad one is refused with a reason', async () => {
	const server = await startServer(testConfig({journal: false}));
	const client = connect(server.url, {client: 'mpm-tui'});
	try {
		await connected(client);
		const got = collectEvents(client);
		const withBoth = {...JSON.parse(oldLine(3)), id: 'both', received: '2025-06-03T10:00:01.500Z'};
		const answer = await postJson(server.url, '/api/events', [
			JSON.parse(oldLine(4)),
			withBoth,
			{...withBoth, id: 'bad', received: 12},
		]);
		assert.equal(answer.status, 202);
		assert.equal(answer.json.accepted, 2);
		assert.deepEqual(answer.json.rejected, [
			{
				index: 2,
				error:
					'item 2: record received must be an ISO date string after 1970 (as 2026-07-27T12:31:53.000Z), got 12',
			},
		]);
		const records = await got.until(2);
		assert.deepEqual(
			records.map((r) => [r.id, r.time, r.received]),
			[
				['old4', '2025-06-04T10:00:00.000Z', '2025-06-04T10:00:00.000Z'],
				['both', '2025-06-03T10:00:00.000Z', '2025-06-03T10:00:01.500Z'],
			],
		);
	} finally {
		client.close();
		await server.close();
	}
});

test('a client takes a record without `received` from an older server (with its time), and refuses one whose `received` is not a string', () => {
	const old = JSON.parse(oldLine(1));
	const checked = checkRecord(old);
	assert.ok(checked.ok);
	assert.equal(checked.record.received, '2025-06-01T10:00:00.000Z');
	const odd = checkRecord({...JSON.parse(oldLine(2)), received: {}});
	assert.deepEqual(odd, {ok: false, error: 'record received must be a string, got object', seq: 2});
});

test("normalize: `received` from the meta (the receive time), the event's own time over the forwarder's stamp", () => {
	const meta = {
		id: 'x',
		receivedAt: '2026-01-01T00:00:00.000Z',
		received: '2026-01-01T00:00:02.000Z',
		source: 'hook',
	};
	const hook = normalize({hook_event_name: 'Stop', session_id: 's'}, meta);
	assert.ok(hook.ok);
	assert.deepEqual(
		[hook.record.time, hook.record.received],
		['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z'],
	);
	const timed = normalize(
		{hook_event_name: 'Stop', session_id: 's', timestamp: '2025-12-31T23:59:59.500Z'},
		meta,
	);
	assert.ok(timed.ok);
	assert.equal(timed.record.time, '2025-12-31T23:59:59.500Z', "a payload's own time");
	const badTime = normalize({hook_event_name: 'Stop', session_id: 's', timestamp: 'now'}, meta);
	assert.ok(badTime.ok);
	assert.equal(badTime.record.time, '2026-01-01T00:00:00.000Z', 'a bad one: the stamp');
	assert.equal(badTime.record.payload.timestamp, 'now', 'and kept in the payload');
	const noReceived = normalize(
		{hook_event_name: 'Stop'},
		{id: 'y', receivedAt: '2026-01-01T00:00:00.000Z', source: 'replay'},
	);
	assert.ok(noReceived.ok);
	assert.equal(noReceived.record.received, '2026-01-01T00:00:00.000Z', 'received defaults to receivedAt');
});

test('normalize: a record no server has stored (no seq) and without `received` is received now; one with a seq keeps its time', () => {
	const meta = {
		id: 'x',
		receivedAt: '2026-01-01T00:00:00.000Z',
		received: '2026-01-01T00:00:02.000Z',
		source: 'transcript',
	};
	const record = {
		id: 'tx-1',
		time: '2025-06-01T10:00:00.000Z',
		type: 'transcript.usage',
		summary: 's',
		payload: {},
	};
	const fresh = normalize(record, meta);
	assert.ok(fresh.ok);
	assert.deepEqual(
		[fresh.record.time, fresh.record.received],
		['2025-06-01T10:00:00.000Z', '2026-01-01T00:00:02.000Z'],
	);
	const stored = normalize({...record, seq: 7}, meta);
	assert.ok(stored.ok);
	assert.deepEqual(
		[stored.record.time, stored.record.received],
		['2025-06-01T10:00:00.000Z', '2025-06-01T10:00:00.000Z'],
	);
});

test('sourceTime takes ISO 8601 date-times a Date can hold, after 1970, and nothing else', () => {
	const good: Array<[string, string]> = [
		['2026-07-27T12:31:53.000Z', '2026-07-27T12:31:53.000Z'],
		['2026-07-27T12:31:53.123456+00:00', '2026-07-27T12:31:53.123Z'],
		['2026-07-27T12:31:53.123456+00:00Z', '2026-07-27T12:31:53.123Z'],
		['2026-07-27T14:31:53+0200', '2026-07-27T12:31:53.000Z'],
		['2026-07-27T12:31Z', '2026-07-27T12:31:00.000Z'],
	];
	for (const [text, iso] of good) assert.equal(sourceTime(text), iso, text);
	// Without a zone, Date reads the local time: the same instant as a local Date of those fields.
	assert.equal(sourceTime('2026-07-27 12:31:53'), new Date(2026, 6, 27, 12, 31, 53).toISOString());
	const bad: unknown[] = [
		'1',
		'2001',
		'July 27, 2026',
		'2026-07-27',
		'Mon, 27 Jul 2026 12:31:53 GMT',
		'2026-07-27T25:00:00Z',
		'1969-12-31T23:59:59Z',
		'1970-01-01T00:00:00.000Z',
		'+275760-09-13T00:00:00.000Z',
		` 2026-07-27T12:31:53Z`,
		`2026-07-27T12:31:53.${'1'.repeat(30)}Z`,
		1785155513000,
		null,
		{},
		['2026-07-27T12:31:53Z'],
	];
	for (const value of bad) assert.equal(sourceTime(value), null, JSON.stringify(value));
});
