import {test} from 'node:test';
import assert from 'node:assert/strict';
import {contentKey} from '../source/server/content-key.js';
import {DuplicateWindow} from '../source/core/dedupe.js';
import {sessionFlow} from './fixtures/hook-payloads.js';

test('contentKey: stable, differs by content, even by one byte', () => {
	const raw = JSON.stringify(sessionFlow[2]);
	const k = contentKey(raw);
	assert.match(k, /^[A-Za-z0-9+/]{43}=$/, 'a SHA-256 digest in base64');
	assert.equal(contentKey(String(raw)), k);
	assert.notEqual(contentKey(`${raw} `), k);
	assert.notEqual(
		contentKey(raw.replace('"session_id":"', '"session_id":"x')),
		k,
		'another session is other text',
	);
	assert.notEqual(contentKey('é'), contentKey('e'));
	assert.notEqual(contentKey(''), contentKey(' '));
	assert.notEqual(contentKey('\0'), contentKey(''), 'a zero byte still counts');
	assert.notEqual(contentKey('a\0'), contentKey('a'));
});

test('contentKey: the same key for the text and for its UTF-8 bytes, wherever they lie in memory', () => {
	for (const text of [
		'{"a":1}',
		JSON.stringify(sessionFlow[2]),
		'{"note":"é 漢字 😀"}',
		'',
		'abc',
		'abcd',
		'abcde',
	]) {
		assert.equal(contentKey(Buffer.from(text)), contentKey(text), text);
		for (let shift = 1; shift <= 7; shift++) {
			assert.equal(
				contentKey(new Uint8Array(Buffer.from(`${'x'.repeat(shift)}${text}`)).subarray(shift)),
				contentKey(text),
				`${text} at offset ${shift}`,
			);
		}
	}
});

test('contentKey: no collisions over the fixtures and 300k distinct inputs that differ in a few bytes', () => {
	const keys = new Set<string>();
	for (const p of sessionFlow) keys.add(contentKey(JSON.stringify(p)));
	assert.equal(keys.size, sessionFlow.length);
	const many = new Set<string>();
	for (let i = 0; i < 100_000; i++) many.add(contentKey(`{"n":${i}}`));
	for (let i = 0; i < 100_000; i++)
		many.add(
			contentKey(
				`{"tool_use_id":"toolu_${String.fromCharCode(65 + (i % 26))}abc${String.fromCharCode(65 + ((i / 26) % 26))}abc${String.fromCharCode(65 + ((i / 676) % 26))}abc${Math.floor(i / 17_576)}"}`,
			),
		);
	for (let i = 0; i < 100_000; i++) many.add(contentKey(`{"pad":"${'x'.repeat(i % 97)}","i":${i}}`));
	assert.equal(many.size, 300_000);
});

test('contentKey + DuplicateWindow: text and bytes are the same event', () => {
	const w = new DuplicateWindow(2000, 100_000);
	const text = '{"hook_event_name":"Stop","note":"café"}';
	const body = Buffer.from(`{"other":1}\n${text}\n`);
	const start = body.indexOf('{"hook');
	assert.equal(w.isDuplicate(contentKey(body.subarray(start, start + Buffer.byteLength(text))), 10), false);
	assert.equal(w.isDuplicate(contentKey(text), 11), true, 'the text after its bytes');
	assert.equal(
		w.isDuplicate(contentKey(body.subarray(0, start - 1)), 12),
		false,
		'the other line is its own event',
	);
	assert.equal(
		w.isDuplicate(contentKey(Buffer.from(`${text}\n`).subarray(0, Buffer.byteLength(text))), 13),
		true,
		'the same bytes in another buffer',
	);
});
