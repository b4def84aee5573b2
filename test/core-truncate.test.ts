import {test} from 'node:test';
import assert from 'node:assert/strict';
import {MAX_ARRAY_ITEMS, TOO_DEEP_MARKER, cutString, truncatePayload} from '../source/core/truncate.js';
import {sessionFlow} from './fixtures/hook-payloads.js';

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}

test('nothing to cut: the very same object comes back, truncated false', () => {
	for (const payload of sessionFlow) {
		const r = truncatePayload(payload, 16_384);
		assert.equal(r.payload, payload);
		assert.equal(r.truncated, false);
	}
});

test('long strings are cut with a marker; the input is not mutated', () => {
	const input = deepFreeze({a: 'short', nested: {out: 'z'.repeat(5000), keep: [1, 2]}, list: ['ok', 'q'.repeat(3000)]});
	const snapshot = JSON.stringify(input);
	const r = truncatePayload(input, 100);
	assert.equal(r.truncated, true);
	assert.equal(JSON.stringify(input), snapshot);
	assert.notEqual(r.payload, input);
	const out = r.payload as typeof input;
	assert.equal(out.a, 'short');
	assert.equal(out.nested.out, 'z'.repeat(100) + '…[mpm-tui: cut 4900 chars]');
	assert.equal(out.nested.keep, input.nested.keep, 'untouched branches are shared, not copied');
	assert.deepEqual(out.list, ['ok', 'q'.repeat(100) + '…[mpm-tui: cut 2900 chars]']);
	assert.deepEqual(Object.keys(out), ['a', 'nested', 'list'], 'key order kept');
});

test('a string exactly at the limit is not cut', () => {
	const input = {s: 'x'.repeat(100)};
	assert.equal(truncatePayload(input, 100).payload, input);
});

test('a cut never splits a surrogate pair', () => {
	const s = 'a'.repeat(9) + '😀' + 'b'.repeat(50);
	const cut = cutString(s, 10);
	assert.equal(cut, 'a'.repeat(9) + '…[mpm-tui: cut 52 chars]');
	const r = truncatePayload({s}, 11);
	assert.equal((r.payload as {s: string}).s, 'a'.repeat(9) + '😀…[mpm-tui: cut 50 chars]');
});

test('arrays over the item limit are cut with a marker element', () => {
	const items = Array.from({length: MAX_ARRAY_ITEMS + 234}, (_, i) => i);
	const input = {items};
	const r = truncatePayload(input, 16_384);
	assert.equal(r.truncated, true);
	const out = (r.payload as {items: unknown[]}).items;
	assert.equal(out.length, MAX_ARRAY_ITEMS + 1);
	assert.equal(out[MAX_ARRAY_ITEMS - 1], MAX_ARRAY_ITEMS - 1);
	assert.equal(out[MAX_ARRAY_ITEMS], '[mpm-tui: cut 234 items]');
	assert.equal(items.length, MAX_ARRAY_ITEMS + 234, 'input not mutated');
	const exact = {items: Array.from({length: MAX_ARRAY_ITEMS}, () => 'x')};
	assert.equal(truncatePayload(exact, 10).payload, exact);
});

test('nesting deeper than 32 levels is replaced by a marker', () => {
	let deep: Record<string, unknown> = {leaf: 'x'};
	for (let i = 0; i < 40; i++) deep = {d: deep};
	const r = truncatePayload(deep, 16_384);
	assert.equal(r.truncated, true);
	let node = r.payload as Record<string, unknown>;
	let depth = 1;
	while (typeof node.d === 'object') {
		node = node.d as Record<string, unknown>;
		depth++;
	}
	assert.equal(depth, 32);
	assert.equal(node.d, TOO_DEEP_MARKER);
	let shallow: Record<string, unknown> = {leaf: 'x'};
	for (let i = 0; i < 30; i++) shallow = {d: shallow};
	assert.equal(truncatePayload(shallow, 16_384).payload, shallow, '32 levels are kept as they are');
});

test('a __proto__ key from JSON stays a plain own property when copying', () => {
	const input = JSON.parse('{"__proto__": {"polluted": true}, "big": "' + 'x'.repeat(50) + '"}') as Record<string, unknown>;
	const r = truncatePayload(input, 10);
	assert.equal(Object.getPrototypeOf(r.payload), Object.prototype);
	assert.deepEqual(Object.keys(r.payload), ['__proto__', 'big']);
	assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
