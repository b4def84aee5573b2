import {test} from 'node:test';
import assert from 'node:assert/strict';
import {RingBuffer} from '../source/core/ring.js';

type Item = {seq: number; v?: string};
const seqs = (items: Item[]) => items.map(i => i.seq);

function filled(capacity: number, from: number, to: number): RingBuffer<Item> {
	const ring = new RingBuffer<Item>(capacity);
	for (let s = from; s <= to; s++) ring.push({seq: s});
	return ring;
}

test('empty ring', () => {
	const ring = new RingBuffer<Item>(4);
	assert.equal(ring.size, 0);
	assert.equal(ring.capacity, 4);
	assert.equal(ring.lastSeq, 0);
	assert.equal(ring.firstSeq, 0);
	assert.deepEqual(ring.since(0), []);
	assert.deepEqual(ring.latest(3), []);
	assert.deepEqual(ring.toArray(), []);
});

test('push returns the evicted item once full, and order survives wrap-around', () => {
	const ring = new RingBuffer<Item>(3);
	assert.equal(ring.push({seq: 1}), undefined);
	assert.equal(ring.push({seq: 2}), undefined);
	assert.equal(ring.push({seq: 3}), undefined);
	assert.deepEqual(ring.push({seq: 4}), {seq: 1});
	assert.deepEqual(ring.push({seq: 5}), {seq: 2});
	assert.deepEqual(seqs(ring.toArray()), [3, 4, 5]);
	assert.equal(ring.firstSeq, 3);
	assert.equal(ring.lastSeq, 5);
	assert.equal(ring.size, 3);
	for (let s = 6; s <= 100; s++) ring.push({seq: s});
	assert.deepEqual(seqs(ring.toArray()), [98, 99, 100]);
});

test('since(): strictly after the given seq, oldest first, with limit, across the wrap', () => {
	const ring = filled(5, 1, 8); // holds 4..8, wrapped
	assert.deepEqual(seqs(ring.since(0)), [4, 5, 6, 7, 8]);
	assert.deepEqual(seqs(ring.since(3)), [4, 5, 6, 7, 8]);
	assert.deepEqual(seqs(ring.since(4)), [5, 6, 7, 8]);
	assert.deepEqual(seqs(ring.since(6)), [7, 8]);
	assert.deepEqual(seqs(ring.since(8)), []);
	assert.deepEqual(seqs(ring.since(100)), []);
	assert.deepEqual(seqs(ring.since(4, 2)), [5, 6]);
	assert.deepEqual(seqs(ring.since(0, 0)), []);
	assert.deepEqual(seqs(ring.since(0, -3)), []);
	assert.deepEqual(seqs(ring.since(-5)), [4, 5, 6, 7, 8]);
});

test('since() with gaps in seq (after dedupe or a journal replay)', () => {
	const ring = new RingBuffer<Item>(10);
	for (const s of [10, 20, 21, 35, 50]) ring.push({seq: s});
	assert.deepEqual(seqs(ring.since(15)), [20, 21, 35, 50]);
	assert.deepEqual(seqs(ring.since(21)), [35, 50]);
	assert.deepEqual(seqs(ring.since(49, 1)), [50]);
});

test('since() binary search agrees with a linear scan for every seq and wrap position', () => {
	for (let total = 1; total <= 13; total++) {
		const ring = filled(7, 1, total);
		const all = ring.toArray();
		for (let q = 0; q <= total + 1; q++) {
			assert.deepEqual(seqs(ring.since(q)), seqs(all.filter(i => i.seq > q)), `total ${total}, since ${q}`);
		}
	}
});

test('latest(n): the newest n, oldest first', () => {
	const ring = filled(5, 1, 7);
	assert.deepEqual(seqs(ring.latest(2)), [6, 7]);
	assert.deepEqual(seqs(ring.latest(5)), [3, 4, 5, 6, 7]);
	assert.deepEqual(seqs(ring.latest(50)), [3, 4, 5, 6, 7]);
	assert.deepEqual(seqs(ring.latest(0)), []);
	assert.deepEqual(seqs(ring.latest(-1)), []);
});

test('clear() empties the ring and it fills again', () => {
	const ring = filled(3, 1, 5);
	ring.clear();
	assert.equal(ring.size, 0);
	assert.equal(ring.lastSeq, 0);
	ring.push({seq: 6});
	assert.deepEqual(seqs(ring.toArray()), [6]);
});

test('seq must increase; capacity must be a positive whole number', () => {
	const ring = filled(3, 1, 2);
	assert.throws(() => ring.push({seq: 2}), /seq must increase: got 2 after 2/);
	assert.throws(() => ring.push({seq: 1}), /seq must increase/);
	assert.throws(() => new RingBuffer<Item>(0), /capacity must be a whole number of at least 1/);
	assert.throws(() => new RingBuffer<Item>(2.5), /capacity/);
});
