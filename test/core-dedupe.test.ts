import {test} from 'node:test';
import assert from 'node:assert/strict';
import {DuplicateWindow, RecentIds, contentKey} from '../source/core/dedupe.js';
import {sessionFlow} from './fixtures/hook-payloads.js';

test('contentKey: stable, 16 hex digits, differs by session and by content', () => {
	const raw = JSON.stringify(sessionFlow[2]);
	const key = contentKey('s1', raw);
	assert.match(key, /^[0-9a-f]{16}$/);
	assert.equal(contentKey('s1', raw), key);
	assert.notEqual(contentKey('s2', raw), key);
	assert.notEqual(contentKey(null, raw), key);
	assert.notEqual(contentKey('s1', raw + ' '), key);
	assert.notEqual(contentKey('ab', 'c'), contentKey('a', 'bc'), 'session/raw boundary matters');
});

test('contentKey: no collisions over the fixtures and 50k distinct small inputs', () => {
	const keys = new Set<string>();
	for (const p of sessionFlow) keys.add(contentKey('s', JSON.stringify(p)));
	assert.equal(keys.size, sessionFlow.length);
	const many = new Set<string>();
	for (let i = 0; i < 50_000; i++) many.add(contentKey('s', `{"n":${i}}`));
	assert.equal(many.size, 50_000);
});

test('DuplicateWindow: repeats inside the window are duplicates, after it they are new', () => {
	const w = new DuplicateWindow(2000);
	assert.equal(w.isDuplicate('k', 1000), false);
	assert.equal(w.isDuplicate('k', 1500), true);
	assert.equal(w.isDuplicate('k', 2999), true);
	assert.equal(w.isDuplicate('other', 2999), false);
	assert.equal(w.isDuplicate('k', 3000), false, 'window is measured from the first sighting');
	assert.equal(w.isDuplicate('k', 4000), true);
	assert.equal(w.size, 2);
});

test('DuplicateWindow: expired keys are dropped, so memory stays bounded by time', () => {
	const w = new DuplicateWindow(100);
	for (let i = 0; i < 1000; i++) w.isDuplicate(`k${i}`, i);
	assert.ok(w.size <= 101, `size ${w.size}`);
	w.expire(10_000);
	assert.equal(w.size, 0);
});

test('DuplicateWindow: maxEntries bounds memory even inside the window', () => {
	const w = new DuplicateWindow(60_000, 3);
	for (const k of ['a', 'b', 'c', 'd']) assert.equal(w.isDuplicate(k, 5), false);
	assert.equal(w.size, 3);
	assert.equal(w.isDuplicate('a', 6), false, 'oldest was evicted');
	assert.equal(w.isDuplicate('d', 6), true);
});

test('DuplicateWindow and RecentIds refuse bad sizes', () => {
	assert.throws(() => new DuplicateWindow(-1), /windowMs must be 0 or more/);
	assert.throws(() => new DuplicateWindow(10, 0), /maxEntries must be a whole number/);
	assert.throws(() => new RecentIds(0), /capacity must be a whole number/);
	assert.throws(() => new RecentIds(1.5), /capacity must be a whole number/);
});

test('RecentIds: bounded, oldest evicted first, re-adding does not duplicate', () => {
	const ids = new RecentIds(3);
	ids.add('a');
	ids.add('b');
	ids.add('b');
	assert.equal(ids.size, 2);
	ids.add('c');
	ids.add('d');
	assert.equal(ids.size, 3);
	assert.equal(ids.has('a'), false);
	assert.equal(ids.has('b'), true);
	assert.equal(ids.has('d'), true);
});
