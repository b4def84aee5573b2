import {test} from 'node:test';
import assert from 'node:assert/strict';
import {DuplicateWindow, RecentIds, contentKey, contentKeyJs} from '../source/core/dedupe.js';
import {sessionFlow} from './fixtures/hook-payloads.js';

// contentKey is the native hash where the runtime has crypto.hash, else contentKeyJs: check both.
for (const [name, key] of [['contentKey', contentKey], ['contentKeyJs', contentKeyJs]] as const) {
	test(`${name}: stable, differs by content, even by one byte`, () => {
		const raw = JSON.stringify(sessionFlow[2]);
		const k = key(raw);
		assert.match(k, name === 'contentKey' ? /^[A-Za-z0-9+/]{11}$/ : /^[0-9a-f]{16}$/);
		assert.equal(key(String(raw)), k);
		assert.notEqual(key(`${raw} `), k);
		assert.notEqual(key(raw.replace('"session_id":"', '"session_id":"x')), k, 'another session is other text');
		assert.notEqual(key('é'), key('e'));
		assert.notEqual(key(''), key(' '));
	});

	test(`${name}: the same key for the text and for its UTF-8 bytes`, () => {
		for (const text of ['{"a":1}', JSON.stringify(sessionFlow[2]), '{"note":"é 漢字 😀"}']) {
			assert.equal(key(Buffer.from(text)), key(text), text);
			assert.equal(key(new Uint8Array(Buffer.from(`xx${text}`)).subarray(2)), key(text), 'a view into a larger buffer');
		}
	});

	test(`${name}: no collisions over the fixtures and 50k distinct small inputs`, () => {
		const keys = new Set<string>();
		for (const p of sessionFlow) keys.add(key(JSON.stringify(p)));
		assert.equal(keys.size, sessionFlow.length);
		const many = new Set<string>();
		for (let i = 0; i < 50_000; i++) many.add(key(`{"n":${i}}`));
		assert.equal(many.size, 50_000);
	});
}

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
	const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
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
		for (const k of keys.slice(-Math.max(1, Math.floor(max / 2)))) assert.equal(w.isDuplicate(k, 6), true, `max ${max}: ${k} kept`);
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

test('DuplicateWindow and RecentIds refuse bad sizes', () => {
	assert.throws(() => new DuplicateWindow(-1), /windowMs must be 0 or more/);
	assert.throws(() => new DuplicateWindow(10, 0), /maxEntries must be a whole number/);
	assert.throws(() => new RecentIds(0), /capacity must be a whole number/);
	assert.throws(() => new RecentIds(1.5), /capacity must be a whole number/);
});

test('RecentIds: re-adding does not duplicate; bounded by capacity; the newest half always kept', () => {
	const ids = new RecentIds(4);
	ids.add('a');
	ids.add('b');
	ids.add('b');
	assert.equal(ids.size, 2);
	ids.add('c');
	ids.add('d');
	assert.equal(ids.size, 4);
	assert.ok(['a', 'b', 'c', 'd'].every(id => ids.has(id)));
	ids.add('e');
	assert.equal(ids.has('a'), false, 'the older half went at once');
	assert.equal(ids.has('b'), false);
	assert.ok(ids.has('c') && ids.has('d') && ids.has('e'));
	for (const capacity of [1, 2, 3, 10]) {
		const r = new RecentIds(capacity);
		for (let i = 0; i < 100; i++) {
			r.add(`id${i}`);
			assert.ok(r.size <= capacity, `capacity ${capacity}: size ${r.size}`);
			for (let j = Math.max(0, i + 1 - Math.max(1, Math.floor(capacity / 2))); j <= i; j++) assert.ok(r.has(`id${j}`), `capacity ${capacity}: id${j} kept after id${i}`);
		}
		assert.equal(r.has('id0'), false);
	}
	ids.clear();
	assert.equal(ids.size, 0);
	assert.equal(ids.has('e'), false);
});
