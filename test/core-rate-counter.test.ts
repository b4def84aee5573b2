/**
 * core/rate-counter.ts, the one events-per-minute counter (the server's stats and the TUI's status
 * line). The oracle is a plain list of every (second, count) added, summed over the window.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import {RateCounter} from '../source/core/rate-counter.js';

test('RateCounter: per minute over the last window of whole seconds, scaled; changesIn says when it drops', () => {
	for (const seconds of [60, 10, 1]) {
		const counter = new RateCounter(seconds);
		const added: Array<{second: number; count: number}> = [];
		let now = 1_700_000_000_000;
		let seed = 7;
		const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
		for (let step = 0; step < 2000; step++) {
			// Mostly small steps, now and then a gap longer than the window.
			now += random() < 0.02 ? Math.floor(random() * 3 * seconds * 1000) : Math.floor(random() * 700);
			if (random() < 0.7) {
				const count = 1 + Math.floor(random() * 5);
				counter.add(now, count);
				added.push({second: Math.floor(now / 1000), count});
			}
			const second = Math.floor(now / 1000);
			const inWindow = added.filter((a) => a.second > second - seconds);
			const sum = inWindow.reduce((total, a) => total + a.count, 0);
			assert.equal(
				counter.perMinute(now),
				Math.round((sum * 60) / seconds),
				`window ${seconds}s, step ${step}`,
			);
			const oldest = inWindow.length === 0 ? null : Math.min(...inWindow.map((a) => a.second));
			assert.equal(
				counter.changesIn(now),
				oldest === null ? null : (oldest + seconds) * 1000 - now,
				`changesIn, window ${seconds}s, step ${step}`,
			);
		}
	}
	const counter = new RateCounter(60);
	counter.add(5_000, 3);
	counter.add(5_999, 2);
	assert.equal(counter.perMinute(64_999), 5, 'the 60th second still counts');
	assert.equal(counter.perMinute(65_000), 0, 'and then leaves');
	assert.equal(counter.changesIn(65_000), null);
});
