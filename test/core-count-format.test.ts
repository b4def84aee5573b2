/**
 * core/count-format.ts: counts grouped as en-US writes them. The oracle is ICU's own number
 * formatter (`toLocaleString('en-US')`), over every kind of number (fast-check) and the edges.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import {groupedCount} from '../source/core/count-format.js';

const icu = (n: number) => n.toLocaleString('en-US');

test('groupedCount writes what toLocaleString("en-US") writes: integers of every size and sign', () => {
	fc.assert(
		fc.property(
			fc.oneof(
				fc.integer(),
				fc.maxSafeInteger(),
				fc.integer({min: -999_999, max: 999_999}),
				fc.bigInt({min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n}).map(Number),
			),
			(n) => groupedCount(n) === icu(n),
		),
		{numRuns: 5000},
	);
	for (const n of [
		0,
		-0,
		1,
		-1,
		999,
		1000,
		-1000,
		999_999,
		1_000_000,
		12_345_678,
		2 ** 53 - 1,
		-(2 ** 53 - 1),
	]) {
		assert.equal(groupedCount(n), icu(n), String(n));
	}
	assert.equal(groupedCount(1_234_567), '1,234,567');
	assert.equal(groupedCount(-1000), '-1,000');
});

test('groupedCount leaves what is not a safe integer to toLocaleString: fractions, 2^53 and over, NaN, infinities', () => {
	fc.assert(
		fc.property(fc.double(), (n) => groupedCount(n) === icu(n)),
		{numRuns: 2000},
	);
	for (const n of [0.5, -2.75, 2 ** 53, 1e21, -1e300, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE]) {
		assert.equal(groupedCount(n), icu(n), String(n));
	}
});
