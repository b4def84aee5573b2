import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ContentHasher, DuplicateWindow} from '../source/core/dedupe.js';
import {sessionFlow} from './fixtures/hook-payloads.js';

/** The 64-bit hash (seed 0) of a text or of its UTF-8 bytes, as 16 hex digits. */
function contentKey(raw: string | Uint8Array): string {
	const hasher = new ContentHasher();
	if (typeof raw === 'string') hasher.text(raw);
	else hasher.bytes(raw);
	return (hasher.hi >>> 0).toString(16).padStart(8, '0') + (hasher.lo >>> 0).toString(16).padStart(8, '0');
}

test('ContentHasher: stable, differs by content, even by one byte', () => {
	const raw = JSON.stringify(sessionFlow[2]);
	const k = contentKey(raw);
	assert.match(k, /^[0-9a-f]{16}$/);
	assert.equal(contentKey(String(raw)), k);
	assert.notEqual(contentKey(`${raw} `), k);
	assert.notEqual(
		contentKey(raw.replace('"session_id":"', '"session_id":"x')),
		k,
		'another session is other text',
	);
	assert.notEqual(contentKey('é'), contentKey('e'));
	assert.notEqual(contentKey(''), contentKey(' '));
	assert.notEqual(contentKey('\0'), contentKey(''), 'a zero byte still counts (the length is hashed)');
	assert.notEqual(contentKey('a\0'), contentKey('a'));
});

test('ContentHasher: the same key for the text and for its UTF-8 bytes, wherever they lie in memory', () => {
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
		// Every alignment of the start: the words are read relative to the text, not to memory.
		for (let shift = 1; shift <= 7; shift++) {
			assert.equal(
				contentKey(new Uint8Array(Buffer.from(`${'x'.repeat(shift)}${text}`)).subarray(shift)),
				contentKey(text),
				`${text} at offset ${shift}`,
			);
		}
	}
});

test('ContentHasher: no collisions over the fixtures and 300k distinct inputs that differ in a few bytes', () => {
	const keys = new Set<string>();
	for (const p of sessionFlow) keys.add(contentKey(JSON.stringify(p)));
	assert.equal(keys.size, sessionFlow.length);
	const many = new Set<string>();
	// Counters, and texts that differ only in bytes 4 apart (the same place in different words).
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

test('ContentHasher: a seed changes every hash; the same seed gives the same hash', () => {
	const text = JSON.stringify(sessionFlow[1]);
	const a = new ContentHasher(1);
	const b = new ContentHasher(2);
	const c = new ContentHasher(1);
	a.text(text);
	b.text(text);
	c.bytes(Buffer.from(text));
	assert.deepEqual([a.hi, a.lo], [c.hi, c.lo]);
	assert.notDeepEqual([a.hi, a.lo], [b.hi, b.lo]);
});

test('DuplicateWindow: text and bytes are the same event; a seeded window still finds repeats', () => {
	for (const seed of [0, 12345]) {
		const w = new DuplicateWindow(2000, 100_000, seed);
		const text = '{"hook_event_name":"Stop","note":"café"}';
		const body = Buffer.from(`{"other":1}\n${text}\n`);
		const start = body.indexOf('{"hook');
		assert.equal(w.isDuplicateBytes(body, start, start + Buffer.byteLength(text), 10), false);
		assert.equal(w.isDuplicate(text, 11), true, 'the text after its bytes');
		assert.equal(w.isDuplicateBytes(body, 0, start - 1, 12), false, 'the other line is its own event');
		assert.equal(
			w.isDuplicateBytes(Buffer.from(`${text}\n`), 0, Buffer.byteLength(text), 13),
			true,
			'the same bytes in another buffer',
		);
	}
});

test('DuplicateWindow: keys that share a table slot are told apart (probing, wrap-around)', () => {
	const w = new DuplicateWindow(1000, 16);
	// 16 entries → 8 per generation in a table of 16 slots; the same `hi` lands every key in one slot chain.
	for (let lo = 0; lo < 8; lo++) assert.equal(w.isDuplicateHash(15, lo * 2, 1), false, `new key ${lo}`);
	for (let lo = 0; lo < 8; lo++) assert.equal(w.isDuplicateHash(15, lo * 2, 2), true, `key ${lo} found`);
	assert.equal(w.isDuplicateHash(15, 99, 3), false, 'same hi, other lo');
	assert.equal(w.isDuplicateHash(14, 0, 3), false, 'other hi, a lo already held');
	assert.equal(w.isDuplicateHash(15, 1, 4), true, 'lo 0 and lo 1 are one key: the lowest bit is not kept');
});

test('DuplicateWindow: repeats inside the window are duplicates, after it they are new', () => {
	const w = new DuplicateWindow(2000);
	assert.equal(w.isDuplicate('k', 1000), false);
	assert.equal(w.isDuplicate('k', 1500), true);
	assert.equal(w.isDuplicate('k', 2999), true);
	assert.equal(w.isDuplicate('other', 2999), false);
	assert.equal(w.isDuplicate('k', 3000), false, 'window is measured from the first sighting');
	assert.equal(w.isDuplicate('k', 4000), true);
	assert.equal(w.size, 2, 'a key re-recorded after expiring is counted once');
	assert.equal(w.isDuplicate('other', 4998), true);
	assert.equal(w.isDuplicate('k', 5001), false, 'seen 2001 ms ago');
	assert.equal(w.isDuplicate('k', 30_000), false, 'long gone');
});

test('DuplicateWindow: same decisions as an exact first-sighting window on a random stream', () => {
	let seed = 42;
	const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
	const w = new DuplicateWindow(100);
	const firstSeen = new Map<string, number>();
	let now = 0;
	for (let i = 0; i < 20_000; i++) {
		now += Math.floor(rand() * 8);
		const key = `k${Math.floor(rand() * 300)}`;
		const at = firstSeen.get(key);
		const expected = at !== undefined && now - at < 100;
		if (!expected) firstSeen.set(key, now);
		assert.equal(w.isDuplicate(key, now), expected, `event ${i}: ${key} at ${now}`);
	}
});

test('DuplicateWindow: expired keys are dropped, so memory stays bounded by time (two windows at most)', () => {
	const w = new DuplicateWindow(100);
	for (let i = 0; i < 1000; i++) w.isDuplicate(`k${i}`, i);
	// Whole generations are dropped, so keys 1–2 windows old may still be held: at most 2 × 100 here.
	assert.ok(w.size <= 200, `size ${w.size}`);
	w.expire(1050);
	assert.equal(w.size, 100, 'the last window (900–999) is kept, older ones dropped');
	assert.equal(w.isDuplicate('k999', 1050), true);
	w.expire(10_000);
	assert.equal(w.size, 0);
	assert.equal(w.isDuplicate('k999', 10_000), false);
});

test('DuplicateWindow: maxEntries bounds memory even inside the window; the newest half is always kept', () => {
	for (const max of [1, 2, 3, 10]) {
		const w = new DuplicateWindow(60_000, max);
		const keys = Array.from({length: 5 * max + 3}, (_, i) => `k${i}`);
		for (const k of keys) {
			assert.equal(w.isDuplicate(k, 5), false);
			assert.ok(w.size <= max, `max ${max}: size ${w.size}`);
		}
		for (const k of keys.slice(-Math.max(1, Math.floor(max / 2))))
			assert.equal(w.isDuplicate(k, 6), true, `max ${max}: ${k} kept`);
		assert.equal(w.isDuplicate('k0', 6), false, `max ${max}: oldest was evicted`);
	}
});

test('DuplicateWindow.clear forgets everything', () => {
	const w = new DuplicateWindow(1000);
	w.isDuplicate('a', 1);
	w.clear();
	assert.equal(w.size, 0);
	assert.equal(w.isDuplicate('a', 2), false);
});

test('DuplicateWindow refuses bad sizes', () => {
	assert.throws(() => new DuplicateWindow(-1), /windowMs must be 0 or more/);
	assert.throws(() => new DuplicateWindow(10, 0), /maxEntries must be a whole number/);
});
