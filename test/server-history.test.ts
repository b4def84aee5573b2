import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EventRecord} from '../source/core/record.js';
import {AcceptedBatch} from '../source/server/accepted-batch.js';
import {History} from '../source/server/history.js';
import {Pipeline} from '../source/server/pipeline.js';

const record = (seq: number, payload: Record<string, unknown>): EventRecord => ({
	seq,
	id: `id-${seq}`,
	time: '2026-11-23T10:00:00.000Z',
	received: '2026-11-23T10:00:00.000Z',
	session: 's',
	type: 'Stop',
	tool: null,
	toolUseId: null,
	agentId: null,
	agentType: null,
	cwd: null,
	summary: 'stop',
	source: 'hook',
	payload,
});

test('records come back equal, key order included, as fresh objects each time, whether the payload text was reused or not', () => {
	const history = new History(10);
	const payload = {
		hook_event_name: 'Stop',
		session_id: 's',
		nested: {list: [1, 'é', null, true]},
		text: 'line\nbreak "quoted" 😀 \u2028',
	};
	const records = [record(1, payload), record(2, {a: 1}), record(3, {b: 'lone \ud800'})];
	history.push(new AcceptedBatch(records, [` ${JSON.stringify(payload, null, 0)} `, '{"a": 1}', undefined]));
	const first = history.since(0);
	assert.equal(first.length, 3);
	first.forEach((got, i) => {
		const want = records[i];
		assert.deepEqual(got, JSON.parse(JSON.stringify(want)));
		assert.deepEqual(Object.keys(got), Object.keys(want));
		assert.notEqual(got, want);
	});
	assert.deepEqual(first[0], records[0]);
	assert.notEqual(history.since(0)[0], first[0], 'parsed again on each request, not kept');
});

test('capacity, since, limit, firstSeq and lastSeq; batches of one and of several records', () => {
	const history = new History(3);
	history.push(new AcceptedBatch([record(1, {n: 1}), record(2, {n: 2})]));
	for (let seq = 3; seq <= 5; seq++) history.push(new AcceptedBatch([record(seq, {n: seq})]));
	assert.equal(history.size, 3);
	assert.equal(history.capacity, 3);
	assert.equal(history.firstSeq, 3);
	assert.equal(history.lastSeq, 5);
	assert.deepEqual(
		history.toArray().map((r) => [r.seq, r.payload.n]),
		[
			[3, 3],
			[4, 4],
			[5, 5],
		],
	);
	assert.deepEqual(
		history.since(3).map((r) => r.seq),
		[4, 5],
	);
	assert.deepEqual(
		history.since(0, 2).map((r) => r.seq),
		[3, 4],
	);
	history.push(new AcceptedBatch([6, 7, 8, 9].map((seq) => record(seq, {n: seq}))));
	assert.deepEqual(
		history.toArray().map((r) => r.seq),
		[7, 8, 9],
		'a batch larger than what is left',
	);
});

test("the pipeline's history holds what it accepted, as accepted, replayed records first", () => {
	const first = new Pipeline({capacity: 100});
	first.ingestBytes(
		Buffer.from(
			'{"hook_event_name":"Stop","session_id":"a", "n": 1}\n{"hook_event_name":"Stop","session_id":"é","n":2}\n',
		),
		'application/x-ndjson',
		{source: 'hook'},
	);
	const accepted = first.ingestValues([{hook_event_name: 'Stop', session_id: 's', n: 3}], {
		source: 'socket',
	}).records;
	assert.deepEqual(
		first.history.toArray().map((r) => r.payload.n),
		[1, 2, 3],
	);
	assert.deepEqual(first.history.since(2), accepted);
	const restarted = new Pipeline({capacity: 100, replayed: first.history.toArray(), lastSeq: first.lastSeq});
	restarted.ingestValues([{hook_event_name: 'Stop', session_id: 's', n: 4}], {source: 'socket'});
	assert.deepEqual(
		restarted.history.toArray().map((r) => [r.seq, r.payload.n]),
		[
			[1, 1],
			[2, 2],
			[3, 3],
			[4, 4],
		],
	);
	assert.deepEqual(restarted.history.toArray().slice(0, 3), first.history.toArray());
});
