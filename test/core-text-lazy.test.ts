/**
 * ICU's grapheme segmenter costs several ms to create, so the modules that cut text make theirs on
 * first use: a command that never cuts (emit, hooks status) never pays for it. Counted through the
 * Intl.Segmenter constructor itself, on fresh copies of the modules.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';

test('core/text.ts and tui/text/cells.ts make their segmenter when they first cut, once', async () => {
	// string-width (Ink's measure, which cells.ts uses) makes its own when it loads: not counted.
	await import('string-width');
	const Native = Intl.Segmenter;
	let made = 0;
	const intl = Intl as {Segmenter: typeof Intl.Segmenter};
	intl.Segmenter = new Proxy(Native, {
		construct(target, args: ConstructorParameters<typeof Intl.Segmenter>) {
			made++;
			return Reflect.construct(target, args) as object;
		},
	});
	try {
		const text = (await import(
			`../source/core/text.js?lazy=${Date.now()}`
		)) as typeof import('../source/core/text.js');
		const cells = (await import(
			`../source/tui/text/cells.js?lazy=${Date.now()}`
		)) as typeof import('../source/tui/text/cells.js');
		assert.equal(made, 0, 'importing makes none');
		assert.equal(text.ellipsize('short', 10), 'short');
		assert.equal(cells.cut('fits', 10), 'fits');
		assert.equal(made, 0, 'text that needs no cut makes none');
		assert.equal(text.ellipsize('a longer text 👍🏽 to cut', 10), 'a longer…');
		assert.equal(made, 1);
		assert.equal(cells.cut('漢字漢字漢字', 5), '漢字…');
		assert.equal(made, 2, 'one each, on first use');
		text.ellipsize('another long text to cut here', 8);
		cells.cut('漢字漢字漢字漢字', 7);
		assert.equal(made, 2, 'and never again');
	} finally {
		intl.Segmenter = Native;
	}
});
