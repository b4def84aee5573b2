/**
 * core/text.ts `oneLine`, the one one-line cut (event summaries, and the views with their ` ⏎ `
 * line-break mark). The oracles are `Intl.Segmenter` for grapheme boundaries, over samples like
 * Ink's own test/text-width.tsx and any well-formed graphemes (fast-check), and literal texts.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {LINE_BREAK_MARK, oneLine} from '../source/core/text.js';
import {WIDE_SAMPLES} from './fixtures/wide-text.js';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const clusters = (text: string) => Array.from(segmenter.segment(text), (s) => s.segment);
/** A lone surrogate (with the `u` flag a pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Surrogate}/u;
/** Text with no blank or control character (those are flattened before the cut; tested apart). */
const plainText = fc
	.oneof(
		fc
			.array(
				fc.oneof(fc.constantFrom(...WIDE_SAMPLES.map(([s]) => s)), fc.constantFrom('a', 'b', '-', '…')),
				{maxLength: 40},
			)
			.map((parts) => parts.join('')),
		fc.string({unit: 'grapheme', maxLength: 40}),
		fc.string({unit: 'grapheme-composite', maxLength: 20}),
	)

	.map((t) => t.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, '_'));

test('oneLine: at most max code units, cut between grapheme clusters, as many whole clusters as fit; control characters and line breaks flattened', () => {
	for (const lineBreak of [' ', LINE_BREAK_MARK]) {
		fc.assert(
			fc.property(plainText, fc.integer({min: 1, max: 40}), (text, max) => {
				const out = oneLine(text, max, lineBreak);
				assert.ok(out.length <= max, `${out.length} > ${max}`);
				assert.ok(!LONE_SURROGATE.test(out), `a lone surrogate in ${JSON.stringify(out)}`);
				if (text.length <= max) return assert.equal(out, text);
				assert.ok(out.endsWith('…'));
				const kept = out.slice(0, -1);
				const parts = clusters(text);
				let whole = '';
				for (const part of parts) {
					if (whole.length + part.length > max - 1) break;
					whole += part;
				}
				assert.equal(
					kept,
					whole,
					`${JSON.stringify(kept)}: not the whole clusters of ${JSON.stringify(text)} that fit in ${max - 1}`,
				);
			}),
			{numRuns: 500},
		);
	}
	assert.equal(oneLine('ok 😀😀', 5), 'ok…', 'half an emoji is not kept (nor the blank before the cut)');
	assert.equal(oneLine('ab👍🏽', 4), 'ab…', 'a skin-toned thumb is kept whole or not at all');
	assert.equal(oneLine('a👨‍👩‍👧b', 10), 'a👨‍👩‍👧b', 'a family (8 code units) fits');
	assert.equal(oneLine('a👨‍👩‍👧bc', 9), 'a…', 'a joined family is not torn apart');
	assert.equal(oneLine('first line\n  second ✅', 200, LINE_BREAK_MARK), 'first line ⏎ second ✅');
	assert.equal(oneLine('first line\r\n\r\n  second', 200), 'first line second');
	assert.equal(oneLine('  tab\there\u0007bell\u001b[31m  ', 200), 'tab here bell [31m');
	assert.equal(oneLine('a\tb\nc', 200, LINE_BREAK_MARK), 'a b ⏎ c');
	assert.equal(oneLine('x'.repeat(300)), `${'x'.repeat(199)}…`, 'summaries are 200 at most by default');
});
