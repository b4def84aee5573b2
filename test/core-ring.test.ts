import {test} from 'node:test';
import assert from 'node:assert/strict';
import {RangeRing} from '../source/core/ring.js';

const seqOf = (_ref: unknown, _start: number, _end: number, seq: number) => seq;
const entry = (ref: string, start: number, end: number, seq: number) => ({ref, start, end, seq});

function filled(capacity: number, from: number, to: number): RangeRing<string> {
	const ring = new RangeRing<string>(capacity);
	for (let s = from; s <= to; s++) ring.push(s, `r${s}`, s * 10, s * 10 + 5);
	return ring;
}

test('empty ring', () => {
	const ring = new RangeRing<string>(4);
	assert.equal(ring.size, 0);
	assert.equal(ring.capacity, 4);
	assert.equal(ring.lastSeq, 0);
	assert.equal(ring.firstSeq, 0);
	assert.deepEqual(ring.since(0, Infinity, seqOf), []);
	assert.deepEqual(ring.latest(3, seqOf), []);
	assert.deepEqual(ring.toArray(seqOf), []);
});

test('each entry comes back with its reference, range and seq; order survives wrap-around', () => {
	const ring = filled(3, 1, 5);
	assert.deepEqual(ring.toArray(entry), [
		entry('r3', 30, 35, 3),
		entry('r4', 40, 45, 4),
		entry('r5', 50, 55, 5),
	]);
	assert.equal(ring.firstSeq, 3);
	assert.equal(ring.lastSeq, 5);
	assert.equal(ring.size, 3);
	for (let s = 6; s <= 100; s++) ring.push(s, `r${s}`, 0, 1);
	assert.deepEqual(ring.toArray(seqOf), [98, 99, 100]);
});

test('since(): strictly after the given seq, oldest first, with limit, across the wrap', () => {
	const ring = filled(5, 1, 8); // holds 4..8, wrapped
	assert.deepEqual(ring.since(0, Infinity, seqOf), [4, 5, 6, 7, 8]);
	assert.deepEqual(ring.since(3, Infinity, seqOf), [4, 5, 6, 7, 8]);
	assert.deepEqual(ring.since(4, Infinity, seqOf), [5, 6, 7, 8]);
	assert.deepEqual(ring.since(6, Infinity, seqOf), [7, 8]);
	assert.deepEqual(ring.since(8, Infinity, seqOf), []);
	assert.deepEqual(ring.since(100, Infinity, seqOf), []);
	assert.deepEqual(ring.since(4, 2, seqOf), [5, 6]);
	assert.deepEqual(ring.since(0, 0, seqOf), []);
	assert.deepEqual(ring.since(0, -3, seqOf), []);
	assert.deepEqual(ring.since(0, Number.NaN, seqOf), []);
	assert.deepEqual(ring.since(-5, Infinity, seqOf), [4, 5, 6, 7, 8]);
	assert.deepEqual(ring.since(6, Infinity, entry), [entry('r7', 70, 75, 7), entry('r8', 80, 85, 8)]);
});

test('since() with gaps in seq (after dedupe or a journal replay)', () => {
	const ring = new RangeRing<string>(10);
	for (const s of [10, 20, 21, 35, 50]) ring.push(s, 'x', 0, 0);
	assert.deepEqual(ring.since(15, Infinity, seqOf), [20, 21, 35, 50]);
	assert.deepEqual(ring.since(21, Infinity, seqOf), [35, 50]);
	assert.deepEqual(ring.since(49, 1, seqOf), [50]);
});

test('since() binary search agrees with a linear scan for every seq and wrap position', () => {
	for (let total = 1; total <= 13; total++) {
		const ring = filled(7, 1, total);
		const all = ring.toArray(seqOf);
		for (let q = 0; q <= total + 1; q++) {
			assert.deepEqual(
				ring.since(q, Infinity, seqOf),
				all.filter((seq) => seq > q),
				`total ${total}, since ${q}`,
			);
		}
	}
});

test('a large capacity is allocated as entries arrive, and wraps like a small one', () => {
	const ring = filled(5000, 1, 12_345); // grows 1024 → 2048 → 4096 → 5000, then wraps
	assert.equal(ring.size, 5000);
	assert.equal(ring.firstSeq, 7346);
	assert.equal(ring.lastSeq, 12_345);
	const all = ring.toArray(entry);
	assert.deepEqual(
		all.map((e) => e.seq),
		Array.from({length: 5000}, (_, i) => 7346 + i),
	);
	assert.ok(
		all.every((e) => e.ref === `r${e.seq}` && e.start === e.seq * 10 && e.end === e.seq * 10 + 5),
		'every entry kept its own reference and range',
	);
	assert.deepEqual(ring.since(12_340, Infinity, seqOf), [12_341, 12_342, 12_343, 12_344, 12_345]);
	assert.deepEqual(ring.since(0, 2, seqOf), [7346, 7347]);
	const partial = filled(3000, 1, 1500); // grown once, not full
	assert.deepEqual(partial.since(1497, Infinity, entry), [
		entry('r1498', 14_980, 14_985, 1498),
		entry('r1499', 14_990, 14_995, 1499),
		entry('r1500', 15_000, 15_005, 1500),
	]);
	assert.equal(partial.firstSeq, 1);
	assert.deepEqual(
		partial.since(0, 2, entry),
		[entry('r1', 10, 15, 1), entry('r2', 20, 25, 2)],
		'entries from before the growth are kept whole',
	);
	assert.deepEqual(
		partial.toArray(seqOf),
		Array.from({length: 1500}, (_, i) => i + 1),
	);
});

test('latest(n): the newest n, oldest first', () => {
	const ring = filled(5, 1, 7);
	assert.deepEqual(ring.latest(2, seqOf), [6, 7]);
	assert.deepEqual(ring.latest(5, seqOf), [3, 4, 5, 6, 7]);
	assert.deepEqual(ring.latest(50, seqOf), [3, 4, 5, 6, 7]);
	assert.deepEqual(ring.latest(0, seqOf), []);
	assert.deepEqual(ring.latest(-1, seqOf), []);
});

test('clear() empties the ring and it fills again', () => {
	const ring = filled(3, 1, 5);
	ring.clear();
	assert.equal(ring.size, 0);
	assert.equal(ring.lastSeq, 0);
	ring.push(6, 'r6', 1, 2);
	assert.deepEqual(ring.toArray(entry), [entry('r6', 1, 2, 6)]);
});

test('seq must increase; capacity must be a positive whole number', () => {
	const ring = filled(3, 1, 2);
	assert.throws(() => ring.push(2, 'x', 0, 0), /seq must increase: got 2 after 2/);
	assert.throws(() => ring.push(1, 'x', 0, 0), /seq must increase/);
	assert.throws(() => new RangeRing<string>(0), /capacity must be a whole number of at least 1/);
	assert.throws(() => new RangeRing<string>(2.5), /capacity/);
});

test('bounded by bytes as well as count: the same entries as a plain array model, through growth and wrap-around (property)', async () => {
	const fc = (await import('fast-check')).default;
	fc.assert(
		fc.property(
			fc.integer({min: 1, max: 3000}),
			fc.integer({min: 1, max: 5000}),
			// Mostly tiny entries (so the ring fills its 1,024 first slots and grows after the byte
			// bound has moved its head), now and then a big one that pushes many out.
			fc.array(
				fc.oneof(
					{weight: 30, arbitrary: fc.integer({min: 0, max: 1})},
					{weight: 1, arbitrary: fc.integer({min: 0, max: 900})},
				),
				{minLength: 1, maxLength: 4000},
			),
			(capacity, maxBytes, sizes) => {
				const ring = new RangeRing<number>(capacity, maxBytes);
				let model: Array<{seq: number; size: number}> = [];
				let seq = 0;
				for (const size of sizes) {
					seq += 1 + (size % 3);
					ring.push(seq, seq * 7, 100, 100 + size);
					model.push({seq, size});
					// The model's rule, written independently: drop the oldest while over either bound, never the newest.
					let total = model.reduce((sum, e) => sum + e.size, 0);
					while (model.length > 1 && (model.length > capacity || total > maxBytes)) {
						total -= model[0].size;
						model = model.slice(1);
					}
				}
				assert.deepEqual(
					ring.toArray((ref, start, end, s) => [s, ref, end - start]),
					model.map((e) => [e.seq, e.seq * 7, e.size]),
				);
				assert.equal(
					ring.bytes,
					model.reduce((sum, e) => sum + e.size, 0),
				);
				const mid = model[Math.floor(model.length / 2)].seq;
				assert.deepEqual(
					ring.since(mid, Infinity, (_r, _s, _e, s) => s),
					model.filter((e) => e.seq > mid).map((e) => e.seq),
				);
			},
		),
		{numRuns: 300},
	);
});

test('growing after the byte bound moved the oldest entry keeps seq order', () => {
	const ring = new RangeRing<number>(4096, 1000);
	ring.push(1, 1, 0, 900);
	ring.push(2, 2, 0, 50);
	ring.push(3, 3, 0, 100); // over 1,000 bytes: entry 1 goes, the oldest slot is now the second
	for (let s = 4; s <= 2000; s++) ring.push(s, s, 0, 0); // fills the first 1,024 slots, then grows
	const seqs = ring.toArray((_r, _s, _e, seq) => seq);
	assert.equal(seqs.length, 1999);
	assert.deepEqual(seqs.slice(0, 3), [2, 3, 4]);
	assert.ok(
		seqs.every((seq, i) => i === 0 || seq === seqs[i - 1] + 1),
		'consecutive, in order',
	);
	assert.equal(ring.bytes, 150);
});
