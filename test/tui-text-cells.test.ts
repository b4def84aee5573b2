/**
 * Text in terminal cells (source/tui/text/cells.ts). The oracles are `string-width` itself (the measure Ink uses,
 * not the helper) and `Intl.Segmenter` for grapheme boundaries, over samples like Ink's own
 * test/text-width.tsx (emoji with and without VS16, ZWJ sequences, skin tones, flags, CJK,
 * Devanagari, Thai, combining marks) and over any strings (fast-check).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {cut, cutStart, fit, graphemes, padEnd, padStart, textWidth} from '../source/tui/text/cells.js';
import {jsonLines} from '../source/tui/detail/json-lines.js';
import {WIDE_SAMPLES} from './fixtures/wide-text.js';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** The offsets where a grapheme cluster of `text` starts (and its length): the only places a cut may fall. */
function boundaries(text: string): Set<number> {
	const out = new Set<number>([text.length]);
	for (const {index} of segmenter.segment(text)) out.add(index);
	return out;
}

function clusters(text: string): string[] {
	return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** A lone surrogate (with the `u` flag a pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Strings mixing the samples with ASCII and any well-formed graphemes. */
const anyText = fc.oneof(
	fc
		.array(
			fc.oneof(fc.constantFrom(...WIDE_SAMPLES.map(([s]) => s)), fc.constantFrom('a', 'b', ' ', '-', '…')),
			{maxLength: 40},
		)
		.map((parts) => parts.join('')),
	fc.string({unit: 'grapheme', maxLength: 40}),
	fc.string({unit: 'grapheme-composite', maxLength: 20}),
);

test('widths are what string-width says, for every sample and any mix of them', () => {
	for (const [sample, cells] of WIDE_SAMPLES) {
		assert.equal(
			stringWidth(sample),
			cells,
			`string-width of ${JSON.stringify(sample)} (the table above is wrong)`,
		);
		assert.equal(textWidth(sample), cells, `cells of ${JSON.stringify(sample)}`);
		// Measured again (from the cache) and inside longer text.
		assert.equal(textWidth(sample), cells);
		assert.equal(textWidth(`x${sample}y`), cells + 2);
	}
	fc.assert(
		fc.property(anyText, (text) => textWidth(text) === stringWidth(text)),
		{numRuns: 500},
	);
});

test('cut: at most the width by string-width, whole grapheme clusters from the start, `…` where cut, nothing left that fits', () => {
	fc.assert(
		fc.property(anyText, fc.integer({min: 0, max: 30}), (text, width) => {
			const out = cut(text, width);
			assert.ok(stringWidth(out) <= Math.max(0, width), `${JSON.stringify(out)} is wider than ${width}`);
			assert.ok(!LONE_SURROGATE.test(out), `a lone surrogate in ${JSON.stringify(out)}`);
			if (width <= 0) return assert.equal(out, '');
			if (stringWidth(text) <= width) return assert.equal(out, text, 'a text that fits is not cut');
			assert.ok(out.endsWith('…'), `a cut text ends with …: ${JSON.stringify(out)}`);
			const kept = out.slice(0, -1);
			assert.ok(
				text.startsWith(kept) && boundaries(text).has(kept.length),
				`${JSON.stringify(kept)} is not a grapheme prefix of ${JSON.stringify(text)}`,
			);
			const next = clusters(text.slice(kept.length)).find((c) => stringWidth(c) > 0) ?? '';
			assert.ok(
				stringWidth(kept + next) + 1 > width,
				`${JSON.stringify(next)} would still fit after ${JSON.stringify(kept)} in ${width}`,
			);
		}),
		{numRuns: 1000},
	);
	assert.equal(
		cut('ab✅cd', 4),
		'ab…',
		'a wide character across the edge is left out (cli-truncate gives `ab✅…`, 5 cells)',
	);
	assert.equal(
		cut('abcﾊﾟaあいうえお', 12),
		'abcﾊﾟaあい…',
		'ﾊﾟ is two cells (cli-truncate gives 13 cells here)',
	);
	assert.equal(cut('あいうえおかきくけこ|end', 20), 'あいうえおかきくけ…');
	assert.equal(cut('👨‍👩‍👧 family', 3), '👨‍👩‍👧…');
	assert.equal(cut('👨‍👩‍👧 family', 2), '…', 'a joined emoji is never split');
});

test('cutStart keeps the end, fit is exactly the width, pads count cells', () => {
	fc.assert(
		fc.property(anyText, fc.integer({min: 1, max: 30}), (text, width) => {
			const end = cutStart(text, width);
			assert.ok(stringWidth(end) <= width);
			assert.ok(!LONE_SURROGATE.test(end));
			if (stringWidth(text) <= width) assert.equal(end, text);
			else {
				assert.ok(end.startsWith('…'));
				const kept = end.slice(1);
				assert.ok(
					text.endsWith(kept) && boundaries(text).has(text.length - kept.length),
					`${JSON.stringify(kept)} is not a grapheme suffix of ${JSON.stringify(text)}`,
				);
			}
			const fitted = fit(text, width);
			assert.equal(
				stringWidth(fitted),
				width,
				`fit(${JSON.stringify(text)}, ${width}) = ${JSON.stringify(fitted)}`,
			);
			assert.equal(fit(text, width), fitted, 'the cached answer is the same');
			assert.equal(stringWidth(padEnd(text, width)), Math.max(width, stringWidth(text)));
			assert.equal(stringWidth(padStart(text, width)), Math.max(width, stringWidth(text)));
		}),
		{numRuns: 500},
	);
	assert.equal(fit('✅ ok', 6), '✅ ok ');
	assert.equal(fit('ab✅cd', 4), 'ab… ', 'one cell short of a wide character: padded');
	assert.equal(padStart('✅', 4), '  ✅');
});

test('graphemes: the clusters with their cells; the detail view wraps on them', () => {
	assert.deepEqual(graphemes('a👍🏽e\u0301'), [
		{text: 'a', width: 1},
		{text: '👍🏽', width: 2},
		{text: 'e\u0301', width: 1},
	]);
	fc.assert(
		fc.property(anyText, fc.integer({min: 8, max: 40}), (text, width) => {
			const lines = jsonLines({summary: text}, width).map((line) => line.map((piece) => piece.text).join(''));
			for (const line of lines) {
				assert.ok(stringWidth(line) <= width, `${JSON.stringify(line)} is wider than ${width}`);
				assert.ok(!LONE_SURROGATE.test(line), `a lone surrogate in ${JSON.stringify(line)}`);
			}
			// Every line break falls between grapheme clusters of the whole text.
			const whole = lines.join('');
			let at = 0;
			const breaks = boundaries(whole);
			for (const line of lines) {
				assert.ok(breaks.has(at), `a line starts inside a cluster: ${JSON.stringify(line)}`);
				at += line.length;
			}
		}),
		{numRuns: 300},
	);
});
