import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	MAX_ARRAY_ITEMS,
	MAX_PAYLOAD_DEPTH,
	TOO_DEEP_MARKER,
	cutString,
	boundRecordFields,
	fitsUncut,
	truncatePayload,
} from '../source/core/truncate.js';
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
	const input = deepFreeze({
		a: 'short',
		nested: {out: 'z'.repeat(5000), keep: [1, 2]},
		list: ['ok', 'q'.repeat(3000)],
	});
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
	const input = JSON.parse('{"__proto__": {"polluted": true}, "big": "' + 'x'.repeat(50) + '"}') as Record<
		string,
		unknown
	>;
	const r = truncatePayload(input, 10);
	assert.equal(Object.getPrototypeOf(r.payload), Object.prototype);
	assert.deepEqual(Object.keys(r.payload), ['__proto__', 'big']);
	assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

/** A JSON text nesting `levels` objects: `{"a":{"a":…1…}}`. */
function nested(levels: number): string {
	return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

test('fitsUncut: at each bound, true only where truncatePayload cuts nothing', () => {
	const cases: Array<[string, number]> = [];
	// Strings: a text no longer than the limit holds no string longer than it.
	for (const n of [8, 9, 10, 11, 12])
		cases.push([`{"s":"${'x'.repeat(n)}"}`, 10], [`{"s":"${'x'.repeat(n)}"}`, n + 8]);
	cases.push([`{"s":"${'\\u00e9'.repeat(4)}"}`, 12], ['{"s":"😀😀😀😀😀"}', 9], ['{"s":"😀😀😀😀😀"}', 16]);
	// Arrays: around MAX_ARRAY_ITEMS items.
	for (const n of [MAX_ARRAY_ITEMS - 1, MAX_ARRAY_ITEMS, MAX_ARRAY_ITEMS + 1])
		cases.push(
			[`{"a":[${Array(n).fill(0).join(',')}]}`, 16_384],
			[`[${Array(n).fill(0).join(',')}]`, 16_384],
		);
	// Depth: around MAX_PAYLOAD_DEPTH levels.
	for (const n of [MAX_PAYLOAD_DEPTH - 1, MAX_PAYLOAD_DEPTH, MAX_PAYLOAD_DEPTH + 1, MAX_PAYLOAD_DEPTH + 2])
		cases.push([nested(n), 16_384]);
	for (const [json, max] of cases) {
		if (fitsUncut(json, max))
			assert.equal(
				truncatePayload(JSON.parse(json), max).truncated,
				false,
				`fitsUncut said nothing to cut in ${json.slice(0, 60)}… (max ${max})`,
			);
	}
	assert.equal(fitsUncut('{"s":"xxxxxxxxxx"}', 18), true, 'as long as the limit');
	assert.equal(fitsUncut('{"s":"😀😀😀😀😀"}', 18), true);
	assert.equal(fitsUncut(nested(MAX_PAYLOAD_DEPTH), 16_384), true);
	assert.equal(fitsUncut(nested(MAX_PAYLOAD_DEPTH + 1), 16_384), false);
	assert.equal(
		truncatePayload(JSON.parse(nested(MAX_PAYLOAD_DEPTH + 1)), 16_384).truncated,
		true,
		'one level more is cut',
	);
	assert.equal(fitsUncut('{"s":"xxxxxxxxxx"}', 17), false, 'longer than the limit');
	assert.equal(
		fitsUncut(`{"a":[${Array(MAX_ARRAY_ITEMS).fill(0).join(',')}]}`, 16_384),
		false,
		'longer than 2·MAX_ARRAY_ITEMS',
	);
});

test('fitsUncut: true for the fixtures, and then truncatePayload agrees', () => {
	for (const payload of sessionFlow) {
		const json = JSON.stringify(payload);
		if (json.length > 2 * MAX_ARRAY_ITEMS) continue;
		assert.equal(fitsUncut(json, 16_384), true, json.slice(0, 80));
		assert.equal(truncatePayload(payload, 16_384).truncated, false);
	}
});

test('boundRecordFields: text fields over the limit are cut with the marker, id never; the same record when nothing is cut', () => {
	const record = {
		id: 'i'.repeat(50),
		time: '2026-01-01T00:00:00.000Z',
		received: '2026-01-01T00:00:00.000Z',
		session: 's'.repeat(12),
		type: 'Stop',
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: 'a'.repeat(10),
		cwd: '/repo',
		summary: 'stop',
		source: 'hook',
		payload: {},
	};
	assert.equal(boundRecordFields(record, 12), record);
	const cutOne = boundRecordFields({...record, cwd: '/'.repeat(15)}, 12);
	assert.equal(cutOne.cwd, `${'/'.repeat(12)}…[mpm-tui: cut 3 chars]`);
	assert.equal(cutOne.id, record.id, 'the id is the identity: not cut');
	assert.equal(cutOne.session, record.session);
	assert.equal(cutOne.tool, null);
});
