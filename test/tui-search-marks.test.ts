/**
 * Search matches marked in a summary: fuse.js gives ranges in UTF-16 units of the summary; a
 * marked part must never begin or end inside a character (half a surrogate pair, part of an emoji
 * sequence), the parts must give back the shown text, and the `…` of a cut summary is never marked.
 * Oracles: Intl.Segmenter's grapheme boundaries and the well-formedness of each part.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {segments} from '../source/tui/tabs/events/EventColumns.js';
import {fit} from '../source/tui/text/cells.js';

const segmenter = new Intl.Segmenter('en', {granularity: 'grapheme'});
const boundaries = (text: string) => {
	const out = new Set<number>([text.length]);
	for (const {index} of segmenter.segment(text)) out.add(index);
	return out;
};
const wellFormed = (text: string) =>
	!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const pieces = ['a', 'b', ' ', '✅', '❤️', '👍🏽', '👨‍👩‍👧', '🇯🇵', '你', 'é', 'e\u0301', '𐀀', 'नमस्ते'];

test('marks fall on whole characters, give back the text, and never take the …', () => {
	fc.assert(
		fc.property(
			fc.array(fc.constantFrom(...pieces), {minLength: 1, maxLength: 30}),
			fc.array(fc.tuple(fc.nat(120), fc.nat(8)), {minLength: 1, maxLength: 4}),
			fc.integer({min: 4, max: 40}),
			(parts, raw, width) => {
				const original = parts.join('');
				const ranges = raw
					.map(
						([start, length]) =>
							[Math.min(start, original.length - 1), Math.min(start + length, original.length - 1)] as const,
					)
					.filter(([a, b]) => a <= b)
					.sort((x, y) => x[0] - y[0]);
				const shown = fit(original, width);
				const out = segments(shown, original, {summaryRanges: ranges, score: 0});
				assert.equal(out.map((s) => s.text).join(''), shown, 'the parts give back the shown text');
				const ends = boundaries(shown);
				let at = 0;
				for (const part of out) {
					assert.ok(
						wellFormed(part.text),
						`a part cut inside a surrogate pair: ${JSON.stringify(part.text)}`,
					);
					if (part.mark) {
						assert.ok(
							ends.has(at) && ends.has(at + part.text.length),
							`a mark inside a character: ${JSON.stringify(part.text)} in ${JSON.stringify(shown)}`,
						);
						assert.ok(!part.text.includes('…'), 'the cut mark is not marked');
					}
					at += part.text.length;
				}
			},
		),
		{numRuns: 2000},
	);
});

test('a match on an emoji marks the whole emoji', () => {
	const original = 'echo ✅👍🏽 done';
	const start = original.indexOf('👍');
	const out = segments(original, original, {summaryRanges: [[start + 1, start + 1]], score: 0});
	assert.deepEqual(
		out.filter((s) => s.mark).map((s) => s.text),
		['👍🏽'],
	);
});
