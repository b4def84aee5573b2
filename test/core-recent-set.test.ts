/**
 * core/recent-set.ts, the one bounded set of recent ids (the server's accepted ids, the TUI's seen
 * ids, the views' seen tool calls). The oracle is the plain list of distinct ids added, in order:
 * the set holds exactly its last `capacity`.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import {RecentSet} from '../source/core/recent-set.js';

test('RecentSet: holds exactly the newest `capacity` distinct ids; re-adding neither duplicates nor refreshes', () => {
	for (const capacity of [1, 2, 3, 10]) {
		const set = new RecentSet(capacity);
		const order: string[] = [];
		let seed = capacity;
		for (let i = 0; i < 300; i++) {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
			const id = `id${seed % 25}`;
			set.add(id);
			if (!order.slice(-capacity).includes(id)) order.push(id);
			const kept = new Set(order.slice(-capacity));
			assert.equal(set.size, kept.size, `capacity ${capacity}, step ${i}`);
			for (let n = 0; n < 25; n++)
				assert.equal(set.has(`id${n}`), kept.has(`id${n}`), `capacity ${capacity}, step ${i}: id${n}`);
		}
	}
	const set = new RecentSet(2);
	set.add('a');
	set.add('b');
	set.add('a');
	set.add('c');
	assert.equal(set.has('a'), false, 'adding a again did not make it newer');
	set.clear();
	assert.equal(set.size, 0);
	assert.equal(set.has('c'), false);
});
