import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	exceedsDepth,
	findInvalidUtf8,
	isNdjsonContentType,
	parseBody,
	utf8Offset,
} from '../source/core/parse-body.js';
import {jsonErrorOffset} from '../source/core/json-error.js';
import {hookEvents, sessionFlow} from './fixtures/hook-payloads.js';

function okItems(text: string, contentType?: string) {
	const r = parseBody(text, contentType);
	assert.ok(r.ok, `expected ok, got ${JSON.stringify(r)}`);
	return r.items;
}

function bodyError(text: string, contentType?: string): string {
	const r = parseBody(text, contentType);
	assert.equal(r.ok, false, `expected an error for ${JSON.stringify(text.slice(0, 40))}`);
	return (r as {error: string}).error;
}

test('one JSON object is one item at index 0, raw = the trimmed body', () => {
	const text = `  ${JSON.stringify(hookEvents.PreToolUse)}\n`;
	const items = okItems(text, 'application/json');
	assert.equal(items.length, 1);
	assert.deepEqual(items[0], {ok: true, value: hookEvents.PreToolUse, raw: text.trim(), index: 0, at: 2});
});

test('`at` is where raw starts in the text: NDJSON lines with CRLF, indented and spaced lines, arrays have none', () => {
	const text = '{"a":1}\r\n  {"b":2}  \n\t{"c":3}\r\n\n{"d":4}';
	const items = okItems(text, 'application/x-ndjson') as Array<{raw: string; at: number}>;
	assert.deepEqual(
		items.map((i) => i.raw),
		['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}'],
	);
	for (const item of items) assert.equal(text.slice(item.at, item.at + item.raw.length), item.raw);
	const array = okItems('[{"a":1},{"b":2}]') as Array<{at: number | undefined}>;
	assert.deepEqual(
		array.map((i) => i.at),
		[undefined, undefined],
	);
});

test('a UTF-8 byte order mark is ignored', () => {
	const items = okItems(`\uFEFF${JSON.stringify({hook_event_name: 'Stop'})}`);
	assert.equal(items.length, 1);
	assert.ok(items[0].ok);
});

test('a JSON array gives one item per element, raw = JSON.stringify(element)', () => {
	const items = okItems(JSON.stringify(sessionFlow.slice(0, 3)));
	assert.equal(items.length, 3);
	items.forEach((item, i) => {
		assert.ok(item.ok);
		assert.equal(item.index, i);
		assert.equal(item.raw, JSON.stringify(sessionFlow[i]));
		assert.deepEqual(item.value, sessionFlow[i]);
	});
});

test('array elements that are not objects fail alone with their index', () => {
	const items = okItems('[{"a":1}, 7, "x", null, [1], {"b":2}]');
	assert.deepEqual(
		items.map((i) => i.ok),
		[true, false, false, false, false, true],
	);
	assert.deepEqual(items[1], {ok: false, error: 'item 1: expected a JSON object, got a number', index: 1});
	assert.equal((items[2] as {error: string}).error, 'item 2: expected a JSON object, got a string');
	assert.equal((items[3] as {error: string}).error, 'item 3: expected a JSON object, got null');
	assert.equal((items[4] as {error: string}).error, 'item 4: expected a JSON object, got an array');
});

test('an empty array is zero items', () => {
	assert.deepEqual(okItems('[]'), []);
});

test('NDJSON by content type: one item per non-blank line, index = 1-based line number', () => {
	const lines = [
		JSON.stringify(sessionFlow[0]),
		'',
		JSON.stringify(sessionFlow[1]),
		'   ',
		JSON.stringify(sessionFlow[2]),
	];
	const items = okItems(lines.join('\r\n') + '\n', 'application/x-ndjson; charset=utf-8');
	assert.deepEqual(
		items.map((i) => i.index),
		[1, 3, 5],
	);
	assert.ok(items.every((i) => i.ok));
	assert.equal((items[1] as {raw: string}).raw, lines[2]);
});

test('NDJSON with one bad line: the others stay ok, the bad one says line and byte', () => {
	const text = [
		JSON.stringify(sessionFlow[0]),
		JSON.stringify(sessionFlow[1]),
		'{"hook_event_name": "Stop", oops}',
		JSON.stringify(sessionFlow[2]),
	].join('\n');
	const items = okItems(text, 'application/x-ndjson');
	assert.deepEqual(
		items.map((i) => i.ok),
		[true, true, false, true],
	);
	const bad = items[2] as {error: string; index: number};
	assert.equal(bad.index, 3);
	assert.match(bad.error, /^line 3: not JSON at byte 28 \(.+\)$/);
});

test('line numbers count leading blank lines', () => {
	const items = okItems('\n\n{"a":1}\nnope', 'application/x-ndjson');
	assert.deepEqual(
		items.map((i) => i.index),
		[3, 4],
	);
	assert.match((items[1] as {error: string}).error, /^line 4: not JSON at byte 1 /);
});

test('NDJSON lines that are not objects: line N: expected a JSON object', () => {
	const items = okItems('{"a":1}\n42\n[1]', 'application/x-ndjson');
	assert.equal((items[1] as {error: string}).error, 'line 2: expected a JSON object, got a number');
	assert.equal((items[2] as {error: string}).error, 'line 3: expected a JSON object, got an array');
});

test('several lines without the NDJSON content type are read as NDJSON', () => {
	const items = okItems(
		`${JSON.stringify(sessionFlow[0])}\n${JSON.stringify(sessionFlow[1])}\n`,
		'application/json',
	);
	assert.equal(items.length, 2);
	assert.deepEqual(
		items.map((i) => i.index),
		[1, 2],
	);
});

test('pretty-printed JSON is one value, not NDJSON', () => {
	const items = okItems(JSON.stringify(hookEvents.Stop, null, 2));
	assert.equal(items.length, 1);
	assert.equal(items[0].index, 0);
});

test('a broken pretty-printed body gets the whole-body reason, not one error per line', () => {
	assert.match(
		bodyError('{\n  "hook_event_name": "Stop",\n  oops\n}'),
		/^body is not JSON at byte 33 \(Expected double-quoted property name\)$/,
	);
});

test('whole-body errors: empty, not JSON (with byte), wrong JSON type', () => {
	assert.equal(bodyError(''), 'body is empty');
	assert.equal(bodyError(' \n\t '), 'body is empty');
	assert.equal(bodyError('\n\n', 'application/x-ndjson'), 'body is empty');
	assert.match(bodyError('not json'), /^body is not JSON at byte 1 \(Unexpected token 'o'/);
	assert.match(bodyError('{"session_id":"abc", "x": }'), /^body is not JSON at byte 26 \(/);
	assert.match(
		bodyError('{"a":1} trailing'),
		/^body is not JSON at byte 8 \(Unexpected non-whitespace character after JSON\)$/,
	);
	assert.match(bodyError('{"a":1'), /^body is not JSON at byte 6 \(/);
	assert.equal(bodyError('42'), 'body is a JSON number, expected an object, an array of objects or NDJSON');
	assert.equal(bodyError('"x"'), 'body is a JSON string, expected an object, an array of objects or NDJSON');
	assert.equal(bodyError('null'), 'body is a JSON null, expected an object, an array of objects or NDJSON');
	assert.equal(
		bodyError('true'),
		'body is a JSON boolean, expected an object, an array of objects or NDJSON',
	);
});

test('the byte offset counts UTF-8 bytes, not UTF-16 units', () => {
	// "é" is 2 bytes and "😀" 4: the x is at UTF-16 index 12 but byte 15.
	assert.match(bodyError('{"a":"é😀"} x'), /^body is not JSON at byte 15 /);
});

test('deep nesting is refused before parsing, without recursion', () => {
	const items100k = okItems('['.repeat(100_000) + ']'.repeat(100_000));
	assert.deepEqual(
		items100k,
		[{ok: false, error: 'item 0: JSON nested deeper than 64 levels', index: 0}],
		'an array: its one element is refused, unparsed',
	);
	assert.equal(bodyError('{"a":'.repeat(65) + '1' + '}'.repeat(65)), 'JSON nested deeper than 64 levels');
	assert.equal(okItems('{"a":'.repeat(64) + '1' + '}'.repeat(64)).length, 1);
	const items = okItems(`{"a":1}\n${'['.repeat(70)}${']'.repeat(70)}`, 'application/x-ndjson');
	assert.equal((items[1] as {error: string}).error, 'line 2: JSON nested deeper than 64 levels');
});

test('brackets inside strings do not count as nesting', () => {
	assert.equal(exceedsDepth(JSON.stringify({s: '['.repeat(200), t: 'a\\"[[['})), false);
	assert.equal(okItems(JSON.stringify({s: '{'.repeat(500)})).length, 1);
});

test('isNdjsonContentType', () => {
	assert.equal(isNdjsonContentType('application/x-ndjson'), true);
	assert.equal(isNdjsonContentType('Application/X-NDJSON; charset=utf-8'), true);
	assert.equal(isNdjsonContentType('application/jsonl'), true);
	assert.equal(isNdjsonContentType('application/json'), false);
	assert.equal(isNdjsonContentType(undefined), false);
});

test('jsonErrorOffset finds the first bad character', () => {
	assert.equal(jsonErrorOffset('{"a":1}'), -1);
	assert.equal(jsonErrorOffset('nope'), 1);
	assert.equal(jsonErrorOffset('{"a":}'), 5);
	assert.equal(jsonErrorOffset('[1,]'), 3);
	assert.equal(jsonErrorOffset('{"a":"\\q"}'), 7);
	assert.equal(jsonErrorOffset('{"a":1'), 6);
	assert.equal(jsonErrorOffset('[01]'), 2);
	assert.equal(jsonErrorOffset('{"a":-}'), 6);
	assert.equal(jsonErrorOffset('{"a":"\\u12G4"}'), 10);
	assert.equal(jsonErrorOffset(' [true, false, null, -1.5e+3, "x\\n"] '), -1);
});

test('utf8Offset', () => {
	assert.equal(utf8Offset('abc', 2), 2);
	assert.equal(utf8Offset('é😀x', 3), 6);
	assert.equal(utf8Offset('€', 1), 3);
});

test('findInvalidUtf8 accepts valid text and finds the first bad sequence', () => {
	assert.equal(findInvalidUtf8(Buffer.from('plain ascii')), -1);
	assert.equal(findInvalidUtf8(Buffer.from('héllo wörld — 😀 中文')), -1);
	assert.equal(findInvalidUtf8(new Uint8Array([])), -1);
	const cases: Array<[number[], number, string]> = [
		[[0x41, 0xff, 0x41], 1, 'invalid byte 0xFF'],
		[[0x41, 0x80], 1, 'lone continuation byte'],
		[[0xc3], 0, 'truncated 2-byte sequence'],
		[[0x41, 0xc3, 0x41], 1, '2-byte lead without continuation'],
		[[0xc0, 0xaf], 0, 'overlong 2-byte'],
		[[0xe0, 0x80, 0xaf], 0, 'overlong 3-byte'],
		[[0xed, 0xa0, 0x80], 0, 'UTF-16 surrogate'],
		[[0xf0, 0x80, 0x80, 0xaf], 0, 'overlong 4-byte'],
		[[0xf4, 0x90, 0x80, 0x80], 0, 'above U+10FFFF'],
		[[0xf5, 0x80, 0x80, 0x80], 0, 'invalid lead 0xF5'],
		[[0x61, 0x62, 0xe2, 0x82], 2, 'truncated 3-byte at the end'],
		[[0xf0, 0x9f, 0x98], 0, 'truncated 4-byte at the end'],
	];
	for (const [bytes, at, what] of cases) assert.equal(findInvalidUtf8(new Uint8Array(bytes)), at, what);
	assert.equal(
		findInvalidUtf8(new Uint8Array([0xef, 0xbf, 0xbf, 0xf4, 0x8f, 0xbf, 0xbf])),
		-1,
		'U+FFFF and U+10FFFF are valid',
	);
	const big = Buffer.concat([Buffer.from('x'.repeat(100_000)), Buffer.from([0xfe])]);
	assert.equal(findInvalidUtf8(big), 100_000);
});

test('NDJSON lines: whitespace around a line (ASCII or Unicode, CR LF) is trimmed from raw, a plain line is kept as is', () => {
	const text = ' {"a":1}\t\r\n\u00a0{"b":2}\u3000\n{"c":3}\r\n{"d":"x "}\n\ufeff{"e":5}';
	const result = parseBody(text, 'application/x-ndjson');
	assert.ok(result.ok);
	assert.deepEqual(
		result.items.map((item) => (item.ok ? item.raw : item.error)),
		['{"a":1}', '{"b":2}', '{"c":3}', '{"d":"x "}', '{"e":5}'],
	);
});

test('an event in a JSON array may nest as deep as a single event (the array is one level of its own)', () => {
	const deep = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
	assert.ok(parseBody(deep(64), 'application/json').ok);
	const parsed = parseBody(
		`[{"hook_event_name":"Stop"},${deep(64)},{"hook_event_name":"Stop","n":2}]`,
		'application/json',
	);
	assert.ok(parsed.ok);
	assert.deepEqual(
		parsed.items.map((item) => item.ok),
		[true, true, true],
	);
	// An element past the limit is refused alone (found by a scan, never parsed); the others are kept.
	for (const levels of [65, 5000]) {
		const mixed = parseBody(
			`[{"hook_event_name":"Stop"}, ${deep(levels)} ,{"hook_event_name":"Stop","s":"],[{\\"x"}, [${'['.repeat(levels)}${']'.repeat(levels)}]]`,
			'application/json',
		);
		assert.ok(mixed.ok, `depth ${levels}`);
		assert.deepEqual(
			mixed.items.map((item) => (item.ok ? JSON.stringify(item.value) : item.error)),
			[
				'{"hook_event_name":"Stop"}',
				'item 1: JSON nested deeper than 64 levels',
				'{"hook_event_name":"Stop","s":"],[{\\"x"}',
				'item 3: JSON nested deeper than 64 levels',
			],
		);
	}
	const broken = parseBody(`[{"hook_event_name":"Stop"},${deep(100)}`, 'application/json');
	assert.ok(
		!broken.ok && /nested deeper than 64/.test(broken.error),
		'an unbalanced deep body is refused whole',
	);
});
