import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Pipeline} from '../source/server/pipeline.js';
import fc from 'fast-check';
import {AcceptedBatch, recordHead} from '../source/server/accepted-batch.js';
import type {EventRecord} from '../source/core/record.js';

const NOW = '2026-11-23T10:00:00.000Z';

function linesFor(body: string, contentType = 'application/json'): string[] {
	const pipeline = new Pipeline({capacity: 100, maxFieldBytes: 64, now: () => Date.parse(NOW)});
	let lines: string[] = [];
	pipeline.onAccepted((batch) => {
		lines = batch.lines();
	});
	pipeline.ingestText(body, contentType, {source: 'hook', id: 'fwd-1'});
	return lines;
}

/** The record a Stop hook event becomes, written out by hand from the record's definition (core/record.ts). */
function stopRecord(
	seq: number,
	id: string,
	session: string,
	payload: Record<string, unknown>,
	source = 'hook',
) {
	return {
		seq,
		id,
		time: NOW,
		received: NOW,
		session,
		type: 'Stop',
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: null,
		summary: 'stop',
		source,
		payload,
	};
}

describe('pipeline record lines', () => {
	test('each line is the record written out by hand, whether the raw text is reused or not', () => {
		const keys = [
			'seq',
			'id',
			'time',
			'received',
			'session',
			'type',
			'tool',
			'toolUseId',
			'agentId',
			'agentType',
			'cwd',
			'summary',
			'source',
			'payload',
		];
		const cases: Array<[string, object[]]> = [
			[
				'{"hook_event_name":"Stop",   "session_id":"a","note":"spaced \\u00e9 \u2028"}',
				[
					stopRecord(1, 'fwd-1', 'a', {
						hook_event_name: 'Stop',
						session_id: 'a',
						note: 'spaced \u00e9 \u2028',
					}),
				],
			],
			[
				'{\n  "hook_event_name": "Stop",\n  "session_id": "pretty"\n}',
				[stopRecord(1, 'fwd-1', 'pretty', {hook_event_name: 'Stop', session_id: 'pretty'})],
			],
			[
				`{"hook_event_name":"Stop","session_id":"long","big":"${'y'.repeat(500)}"}`,
				[
					stopRecord(1, 'fwd-1', 'long', {
						hook_event_name: 'Stop',
						session_id: 'long',
						big: `${'y'.repeat(64)}\u2026[mpm-tui: cut 436 chars]`,
					}),
				],
			],
			[
				'[{"hook_event_name":"Stop","session_id":"arr1"},{"hook_event_name":"Stop","session_id":"arr2"}]',
				[
					stopRecord(1, 'fwd-1', 'arr1', {hook_event_name: 'Stop', session_id: 'arr1'}),
					stopRecord(2, 'fwd-1:1', 'arr2', {hook_event_name: 'Stop', session_id: 'arr2'}),
				],
			],
			[
				'{"namespace":"hook","event":"claude_event","data":{"type":"hook","subtype":"stop","data":{"session_id":"env"}}}',
				[
					stopRecord(
						1,
						'fwd-1',
						'env',
						{
							session_id: 'env',
							_mpm: {type: 'hook', subtype: 'stop', namespace: 'hook', event: 'claude_event'},
						},
						'mpm',
					),
				],
			],
		];
		for (const [body, expected] of cases) {
			const lines = linesFor(body);
			assert.equal(lines.length, expected.length, body);
			lines.forEach((line, i) => {
				assert.ok(!line.includes('\n'), 'one line');
				assert.deepEqual(JSON.parse(line), expected[i], body);
				assert.deepEqual(Object.keys(JSON.parse(line)), keys, 'key order');
			});
		}
	});

	test('a cut payload is serialized from the record, so the marker is in the line', () => {
		const lines = linesFor(`{"hook_event_name":"Stop","session_id":"long","big":"${'y'.repeat(500)}"}`);
		assert.match(lines[0], /mpm-tui: cut \d+ chars/);
	});

	test('recordHead is JSON.stringify of the record up to the payload, for any string in any field', () => {
		const base: EventRecord = {
			seq: 1,
			id: 'x',
			time: '2026-11-23T10:00:00.000Z',
			received: '2026-11-23T10:00:00.000Z',
			session: null,
			type: 'Stop',
			tool: null,
			toolUseId: null,
			agentId: null,
			agentType: null,
			cwd: null,
			summary: 's',
			source: 'hook',
			payload: {a: 1},
		};
		const awkward = [
			'',
			'plain',
			'quote " in',
			'back\\slash',
			'tab\tnew\nline\r',
			'\u0000\u001f\u007f',
			'é ü 漢字',
			'😀 pair',
			'lone \ud800 high',
			'lone \udfff low',
			'\u2028\u2029',
			'</script>',
		];
		const fields = [
			'id',
			'time',
			'received',
			'session',
			'type',
			'tool',
			'toolUseId',
			'agentId',
			'agentType',
			'cwd',
			'summary',
			'source',
		] as const;
		for (const field of fields) {
			for (const text of awkward) {
				const record = {...base, [field]: text, seq: 123_456_789};
				const whole = JSON.stringify(record);
				const head = whole.slice(0, whole.length - '{"a":1}}'.length);
				assert.equal(recordHead(record), head, `${field} = ${JSON.stringify(text)}`);
			}
		}
		assert.deepEqual(
			Object.keys(base),
			['seq', ...fields, 'payload'],
			'the head names every key of a record, in order',
		);
	});

	test("property: a batch's bytes are the JSON.stringify lines of its records (terminal-safe), with or without raw payload text", () => {
		// Awkward strings: ASCII with DEL and escapes, controls, C1, bidi controls, line separators, lone surrogates, astral characters.
		const asciiText = fc.string({unit: fc.constantFrom('\x7f', '\x1b', '"', '\\', '\n', ' ', 'a', '~')});
		const anyText = fc.oneof(
			fc.string(),
			fc.string({unit: 'grapheme'}),
			fc.string({
				unit: fc.constantFrom(
					'\x7f',
					'\u0085',
					'\u009b',
					'\u200e',
					'\u2028',
					'\u202e',
					'\u2066',
					'\ud800',
					'\udfff',
					'😀',
					'"',
					'\\',
					'\n',
					'é',
					'a',
				),
			}),
		);
		// Records whose every field is ASCII too: their heads take the copied (latin1) path.
		const recordOf = (text: fc.Arbitrary<string>): fc.Arbitrary<EventRecord> => {
			const nullable = fc.option(text, {nil: null});
			return fc.record({
				seq: fc.nat(),
				id: text,
				time: text,
				received: text,
				session: nullable,
				type: text,
				tool: nullable,
				toolUseId: nullable,
				agentId: nullable,
				agentType: nullable,
				cwd: nullable,
				summary: text,
				source: text,
				payload: fc.dictionary(fc.string(), fc.jsonValue(), {maxKeys: 4}),
			});
		};
		const record = fc.oneof(recordOf(asciiText), recordOf(anyText));
		// Raw payload text: the payload's JSON with spaces after separators, as a sender may write it (one line).
		const spaced = (payload: unknown): string => JSON.stringify(payload, null, 1).replace(/\n */g, ' ');
		// Characters a terminal acts on, as JSON escapes: the oracle's own list, not the module's.
		const terminalSafe = (json: string): string =>
			json.replace(
				/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
				(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
			);
		fc.assert(
			fc.property(fc.array(fc.tuple(record, fc.boolean()), {maxLength: 8}), (entries) => {
				const records = entries.map(([r]) => r);
				const raws = entries.map(([r, raw]) => (raw ? spaced(r.payload) : undefined));
				const expected = entries
					.map(([r], i) => {
						const whole = JSON.stringify(r);
						const line =
							raws[i] === undefined
								? whole
								: `${whole.slice(0, whole.length - JSON.stringify(r.payload).length - 1)}${raws[i]}}`;
						return `${terminalSafe(line)}\n`;
					})
					.join('');
				assert.deepEqual(new AcceptedBatch(records, raws).ndjson(), Buffer.from(expected, 'utf8'));
				// An all-ASCII body's raw text is copied byte for byte.
				const asciiRaws = raws.map((raw) =>
					raw !== undefined && /^[\x20-\x7e]*$/.test(raw) ? raw : undefined,
				);
				const asciiExpected = entries
					.map(([r], i) => {
						const whole = JSON.stringify(r);
						const line =
							asciiRaws[i] === undefined
								? whole
								: `${whole.slice(0, whole.length - JSON.stringify(r.payload).length - 1)}${asciiRaws[i]}}`;
						return `${terminalSafe(line)}\n`;
					})
					.join('');
				assert.deepEqual(
					new AcceptedBatch(records, asciiRaws, true).ndjson(),
					Buffer.from(asciiExpected, 'utf8'),
				);
			}),
			{numRuns: 300},
		);
	});

	test('recordHead declines a record whose fields are not what EventRecord says; the line is then the whole record', () => {
		const base = {
			seq: 1,
			id: 'x',
			time: 't',
			session: null,
			type: 'Stop',
			tool: null,
			toolUseId: null,
			agentId: null,
			agentType: null,
			cwd: null,
			summary: 's',
			source: 'hook',
			payload: {a: 1},
		};
		const odd = [
			{...base, seq: 1.5},
			{...base, tool: undefined},
			{...base, cwd: 7},
			{...base, summary: null},
			{...base, received: 5},
		];
		for (const record of odd) {
			assert.equal(recordHead(record as unknown as EventRecord), undefined, JSON.stringify(record));
			const batch = new AcceptedBatch([record as unknown as EventRecord]);
			assert.equal(batch.ndjson().toString(), `${JSON.stringify(record)}\n`);
		}
	});
});

test("a batch's NDJSON is one line per record, each followed by a newline, as UTF-8; made once", () => {
	const pipeline = new Pipeline({capacity: 100});
	const batches: AcceptedBatch[] = [];
	pipeline.onAccepted((batch) => batches.push(batch));
	pipeline.ingestText(
		'{"hook_event_name":"Stop","session_id":"a","note":"é \u2028 😀"}\n{"hook_event_name":"Stop","session_id":"b", "spaced": true}\n',
		'application/x-ndjson',
		{source: 'hook'},
	);
	pipeline.ingestValues([{hook_event_name: 'Stop', session_id: 'c', note: 'lone \ud800 é'}], {
		source: 'socket',
	});
	assert.equal(batches.length, 2);
	for (const batch of batches) {
		const bytes = batch.ndjson();
		assert.equal(batch.ndjson(), bytes, 'the same buffer');
		const lines = batch.lines();
		assert.equal(lines.length, batch.records.length);
		assert.equal(batch.lines(), lines, 'the same array');
		assert.equal(bytes.toString('utf8'), lines.map((line) => `${line}\n`).join(''));
		lines.forEach((line, i) => assert.deepEqual(JSON.parse(line), batch.records[i]));
	}
	assert.match(
		batches[0].lines()[1],
		/"payload":\{"hook_event_name":"Stop","session_id":"b", "spaced": true\}\}$/,
		'the raw text is spliced in',
	);
	assert.deepEqual(
		batches[1].ndjson(),
		Buffer.from(`${JSON.stringify(batches[1].records[0])}\n`),
		'without raw text, the bytes of JSON.stringify',
	);
	assert.equal(new AcceptedBatch([]).ndjson().length, 0, 'no records, no bytes');
});

test('the NDJSON bytes are right for ASCII bodies (copied), other bodies (encoded) and arrays (re-serialized)', () => {
	const bodies: Array<[string, string]> = [
		[
			'{"hook_event_name":"Stop","session_id":"a","note":"escaped \\u00e9 \\ud83d\\ude00 \\"q\\""}\n{"hook_event_name":"Stop","session_id":"a", "n": 2}\n',
			'application/x-ndjson',
		],
		[
			'{"hook_event_name":"Stop","session_id":"é","note":"raw é 😀 \u2028"}\n{"hook_event_name":"Stop","session_id":"é","n":2}\n',
			'application/x-ndjson',
		],
		[
			'[{"hook_event_name":"Stop","session_id":"a","note":"escaped \\u00e9"},{"hook_event_name":"Stop","session_id":"a","n":2}]',
			'application/json',
		],
		['{"hook_event_name":"Stop","session_id":"a","note":"one object \\u00e9"}', 'application/json'],
	];
	for (const [body, contentType] of bodies) {
		const pipeline = new Pipeline({capacity: 100});
		const batches: AcceptedBatch[] = [];
		pipeline.onAccepted((batch) => batches.push(batch));
		const result = pipeline.ingestBytes(Buffer.from(body), contentType, {source: 'hook'});
		assert.equal(batches.length, 1, body);
		const text = batches[0].ndjson().toString('utf8');
		assert.ok(text.endsWith('\n'));
		const lines = text.slice(0, -1).split('\n');
		assert.equal(lines.length, result.accepted);
		lines.forEach((line, i) => assert.deepEqual(JSON.parse(line), result.records[i], body));
		assert.deepEqual(Buffer.from(text, 'utf8'), batches[0].ndjson(), 'valid UTF-8 throughout');
	}
});

describe('pipeline duplicate detection (core DuplicateWindow and RecentSet)', () => {
	test('the same bytes from the same session are dropped within the window and accepted after it', () => {
		let now = 10_000;
		const pipeline = new Pipeline({capacity: 100, duplicateWindowMs: 2000, now: () => now});
		const body = '{"hook_event_name":"Stop","session_id":"s1"}';
		const ingest = () => pipeline.ingestText(body, 'application/json', {source: 'hook'});
		assert.deepEqual([ingest().accepted, ingest().duplicates], [1, 1]);
		now = 11_999;
		assert.equal(ingest().duplicates, 1);
		assert.equal(
			pipeline.ingestText(body.replace('s1', 's2'), 'application/json', {source: 'hook'}).accepted,
			1,
			'another session',
		);
		now = 12_000;
		assert.equal(ingest().accepted, 1, 'window is measured from the first sighting');
		assert.deepEqual([pipeline.total, pipeline.duplicates], [3, 2]);
	});

	test('the same text is the same duplicate key whether it came in an ASCII body (hashed as bytes) or any other way', () => {
		const pipeline = new Pipeline({capacity: 100});
		const event = '{"hook_event_name":"Stop","session_id":"s1","n":1}';
		const other = '{"hook_event_name":"Stop","session_id":"s1","note":"é"}';
		assert.equal(
			pipeline.ingestBytes(Buffer.from(`  ${event}\r\n`), 'application/x-ndjson', {source: 'hook'}).accepted,
			1,
			'ASCII body',
		);
		const mixed = pipeline.ingestBytes(Buffer.from(`${other}\n${event}\n`), 'application/x-ndjson', {
			source: 'hook',
		});
		assert.deepEqual([mixed.accepted, mixed.duplicates], [1, 1], 'a body with non-ASCII text');
		assert.equal(pipeline.ingestText(event, 'application/json', {source: 'hook'}).duplicates, 1, 'text');
		assert.equal(
			pipeline.ingestValues([JSON.parse(event)], {source: 'socket'}).duplicates,
			1,
			'a value (serialized again, the same text)',
		);
		const ascii = pipeline.ingestBytes(Buffer.from(`${event}\n${other}\n`), 'application/x-ndjson', {
			source: 'hook',
		});
		assert.deepEqual([ascii.accepted, ascii.duplicates], [0, 2]);
	});

	test('an id already accepted (forwarder retry or a replayed record) is a duplicate even after the window', () => {
		let now = 0;
		const first = new Pipeline({capacity: 100, now: () => now});
		first.ingestText('{"hook_event_name":"Stop","session_id":"a"}', 'application/json', {
			source: 'hook',
			id: 'fwd-1',
		});
		now = 60_000;
		const retry = first.ingestText('{"hook_event_name":"Stop","session_id":"a"}', 'application/json', {
			source: 'hook',
			id: 'fwd-1',
		});
		assert.deepEqual([retry.accepted, retry.duplicates], [0, 1]);
		const restarted = new Pipeline({
			capacity: 100,
			replayed: first.history.toArray(),
			lastSeq: first.lastSeq,
		});
		const again = restarted.ingestText('{"hook_event_name":"Stop","session_id":"a"}', 'application/json', {
			source: 'hook',
			id: 'fwd-1',
		});
		assert.deepEqual([again.accepted, again.duplicates], [0, 1]);
	});
});
