import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Pipeline} from '../source/server/pipeline.js';
import {AcceptedBatch, recordLine, utf8} from '../source/server/accepted-batch.js';

function linesFor(body: string, contentType = 'application/json'): {lines: string[]; records: unknown[]} {
	const pipeline = new Pipeline({capacity: 100, maxFieldBytes: 64});
	let lines: string[] = [];
	pipeline.onAccepted(batch => {
		lines = batch.lines();
	});
	pipeline.ingestText(body, contentType, {source: 'hook'});
	return {lines, records: pipeline.ring.toArray()};
}

describe('pipeline record lines', () => {
	test('a line parses back to exactly the stored record, whether the raw text is reused or not', () => {
		const bodies = [
			'{"hook_event_name":"Stop",   "session_id":"a","note":"spaced \\u00e9 \u2028"}',
			'{\n  "hook_event_name": "Stop",\n  "session_id": "pretty"\n}',
			`{"hook_event_name":"Stop","session_id":"long","big":"${'y'.repeat(500)}"}`,
			'[{"hook_event_name":"Stop","session_id":"arr1"},{"hook_event_name":"Stop","session_id":"arr2"}]',
			'{"namespace":"hook","event":"claude_event","data":{"type":"hook","subtype":"stop","data":{"session_id":"env"}}}',
		];
		for (const body of bodies) {
			const {lines, records} = linesFor(body);
			assert.ok(lines.length > 0, body);
			lines.forEach((line, i) => {
				assert.ok(!line.includes('\n'), 'one line');
				assert.deepEqual(JSON.parse(line), records[i]);
				assert.deepEqual(Object.keys(JSON.parse(line)), Object.keys(records[i] as object), 'same key order');
			});
		}
	});

	test('a cut payload is serialized from the record, so the marker is in the line', () => {
		const {lines} = linesFor(`{"hook_event_name":"Stop","session_id":"long","big":"${'y'.repeat(500)}"}`);
		assert.match(lines[0], /mpm-tui: cut \d+ chars/);
	});

	test('recordLine without raw text is JSON.stringify', () => {
		const record = {seq: 1, id: 'x', time: 't', session: null, type: 'Stop', tool: null, toolUseId: null, agentId: null, agentType: null, cwd: null, summary: 's', source: 'hook', payload: {a: 1}};
		assert.equal(recordLine(record), JSON.stringify(record));
		assert.equal(recordLine(record, '{"a": 1}'), JSON.stringify(record).replace('{"a":1}', '{"a": 1}'));
	});
});

test("a batch's NDJSON is its lines, each followed by a newline, as UTF-8; made once; lines made once", () => {
	const pipeline = new Pipeline({capacity: 100});
	const batches: AcceptedBatch[] = [];
	pipeline.onAccepted(batch => batches.push(batch));
	pipeline.ingestText('{"hook_event_name":"Stop","session_id":"a","note":"é \u2028 😀"}\n{"hook_event_name":"Stop","session_id":"b"}\n', 'application/x-ndjson', {source: 'hook'});
	assert.equal(batches.length, 1);
	const [batch] = batches;
	const lines = batch.lines();
	assert.equal(lines.length, 2);
	assert.equal(batch.lines(), lines, 'the same array');
	assert.equal(batch.ndjson().toString('utf8'), lines.map(line => `${line}\n`).join(''));
	assert.equal(batch.ndjson(), batch.ndjson(), 'the same buffer');
	assert.equal(new AcceptedBatch([]).ndjson().length, 0, 'no records, no bytes');
});

test('utf8 gives the UTF-8 bytes of ASCII, Latin-1, BMP and astral text alike', () => {
	for (const text of ['', 'plain ascii {"a":1}\n', 'é ü ß', 'Ł ł', '漢字', '😀', 'a\u0080b', '\ud800 lone surrogate', `${'x'.repeat(1000)}é`]) {
		assert.deepEqual(utf8(text), Buffer.from(text, 'utf8'), JSON.stringify(text));
	}
});

describe('pipeline duplicate detection (core DuplicateWindow and RecentIds)', () => {
	test('the same bytes from the same session are dropped within the window and accepted after it', () => {
		let now = 10_000;
		const pipeline = new Pipeline({capacity: 100, duplicateWindowMs: 2000, now: () => now});
		const body = '{"hook_event_name":"Stop","session_id":"s1"}';
		const ingest = () => pipeline.ingestText(body, 'application/json', {source: 'hook'});
		assert.deepEqual([ingest().accepted, ingest().duplicates], [1, 1]);
		now = 11_999;
		assert.equal(ingest().duplicates, 1);
		assert.equal(pipeline.ingestText(body.replace('s1', 's2'), 'application/json', {source: 'hook'}).accepted, 1, 'another session');
		now = 12_000;
		assert.equal(ingest().accepted, 1, 'window is measured from the first sighting');
		assert.deepEqual([pipeline.total, pipeline.duplicates], [3, 2]);
	});

	test('an id already accepted (forwarder retry or a replayed record) is a duplicate even after the window', () => {
		let now = 0;
		const first = new Pipeline({capacity: 100, now: () => now});
		first.ingestText('{"hook_event_name":"Stop","session_id":"a"}', 'application/json', {source: 'hook', id: 'fwd-1'});
		now = 60_000;
		const retry = first.ingestText('{"hook_event_name":"Stop","session_id":"a"}', 'application/json', {source: 'hook', id: 'fwd-1'});
		assert.deepEqual([retry.accepted, retry.duplicates], [0, 1]);
		const restarted = new Pipeline({capacity: 100, replayed: first.ring.toArray(), lastSeq: first.lastSeq});
		const again = restarted.ingestText('{"hook_event_name":"Stop","session_id":"a"}', 'application/json', {source: 'hook', id: 'fwd-1'});
		assert.deepEqual([again.accepted, again.duplicates], [0, 1]);
	});
});
