import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {DuplicateWindow} from '../source/core/dedupe.js';

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

/**
 * An independent model of the same rule: one Map of key → (first sighting, generation number)
 * instead of two Maps that swap. A generation ends when a window has passed since it began (the
 * one before it is then dropped too if two windows have passed) or when it holds ⌊max/2⌋ keys
 * (the one before it is dropped; with max 1, it too); a key counts while its generation is the
 * current one or the one before, and is a duplicate while it was first seen less than a window ago.
 * With max 1, a generation ending for time drops the one before it as well.
 */
class WindowModel {
	private readonly keys = new Map<string, {at: number; generation: number}>();
	private generation = 0;
	private startedAt = Number.NEGATIVE_INFINITY;
	constructor(
		private readonly windowMs: number,
		private readonly maxEntries: number,
	) {}
	private live(generation: number): boolean {
		return generation >= this.generation - 1;
	}
	private newGeneration(nowMs: number, dropCurrent: boolean): void {
		this.generation += dropCurrent ? 2 : 1;
		this.startedAt = nowMs;
	}
	expire(nowMs: number): void {
		const age = nowMs - this.startedAt;
		if (age >= this.windowMs) this.newGeneration(nowMs, age >= 2 * this.windowMs || this.maxEntries < 2);
	}
	seen(key: string, nowMs: number): boolean {
		this.expire(nowMs);
		const entry = this.keys.get(key);
		return entry !== undefined && this.live(entry.generation) && nowMs - entry.at < this.windowMs;
	}
	remember(key: string, nowMs: number): void {
		this.expire(nowMs);
		const inCurrent = [...this.keys.values()].filter((e) => e.generation === this.generation).length;
		if (inCurrent >= Math.max(1, Math.floor(this.maxEntries / 2)))
			this.newGeneration(nowMs, this.maxEntries < 2);
		this.keys.set(key, {at: nowMs, generation: this.generation});
	}
	isDuplicate(key: string, nowMs: number): boolean {
		if (this.seen(key, nowMs)) return true;
		this.remember(key, nowMs);
		return false;
	}
	get size(): number {
		return [...this.keys.values()].filter((e) => this.live(e.generation)).length;
	}
	clear(): void {
		this.keys.clear();
		this.startedAt = Number.NEGATIVE_INFINITY;
	}
}

test('DuplicateWindow: the same decisions and size as an independent model of the rule (property)', () => {
	const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
	const step = fc.oneof(
		{weight: 8, arbitrary: fc.record({op: fc.constant('event' as const), key, dt: fc.nat(12)})},
		// A batch: every key checked first, then the new ones remembered (the pipeline's order).
		{
			weight: 2,
			arbitrary: fc.record({
				op: fc.constant('batch' as const),
				keys: fc.uniqueArray(key, {maxLength: 4}),
				dt: fc.nat(12),
			}),
		},
		{weight: 1, arbitrary: fc.record({op: fc.constant('expire' as const), dt: fc.nat(30)})},
		{weight: 1, arbitrary: fc.record({op: fc.constant('clear' as const), dt: fc.constant(0)})},
	);
	fc.assert(
		fc.property(
			fc.constantFrom(0, 1, 3, 10, 50),
			fc.oneof(fc.integer({min: 1, max: 12}), fc.constant(100_000)),
			fc.array(step, {maxLength: 120}),
			(windowMs, maxEntries, steps) => {
				const w = new DuplicateWindow(windowMs, maxEntries);
				const model = new WindowModel(windowMs, maxEntries);
				let now = 1000;
				for (const s of steps) {
					now += s.dt;
					if (s.op === 'event') assert.equal(w.isDuplicate(s.key, now), model.isDuplicate(s.key, now));
					else if (s.op === 'batch') {
						const fresh = s.keys.filter((k) => {
							const seen = w.seen(k, now);
							assert.equal(seen, model.seen(k, now), `seen ${k}`);
							return !seen;
						});
						for (const k of fresh) {
							w.remember(k, now);
							model.remember(k, now);
						}
					} else if (s.op === 'expire') {
						w.expire(now);
						model.expire(now);
					} else {
						w.clear();
						model.clear();
					}
					assert.equal(w.size, model.size, 'size');
					assert.ok(w.size <= maxEntries, 'bounded');
				}
			},
		),
		{numRuns: 2000},
	);
});
