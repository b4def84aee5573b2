// esbuild plugins for scripts/build.mjs: changes to dependencies' code in the bundle that make
// the TUI start sooner and give the same results. Each says whether it found its target, so that
// the build can warn when a dependency's update moved it.
import {readFile} from 'node:fs/promises';

/**
 * yoga-layout (Ink's layout engine) ships its WebAssembly as a base64 data: URL and, where a global
 * `fetch` exists, as in Node 20, fetches that URL: it loads Node's whole fetch implementation
 * (undici) to decode a string at start-up. Shadowing `fetch` in that one module makes it decode the
 * base64 itself, as it does where there is no fetch.
 */
export function yogaWithoutFetch(found) {
	return {
		name: 'yoga-without-fetch',
		setup(build) {
			build.onLoad(
				{filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/},
				async (args) => {
					found.yoga = true;
					const text = await readFile(args.path, 'utf8');
					return {contents: `const fetch = undefined;\n${text}`, loader: 'js'};
				},
			);
		},
	};
}

/** The line of string-width (8.x, the copy Ink measures with) that tests a grapheme cluster for an emoji. */
export const STRING_WIDTH_EMOJI_TEST =
	'if (rgiEmojiRegex.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {';
/** The same test, asking the big expression only about a cluster that holds an emoji code point. */
export const STRING_WIDTH_EMOJI_TEST_PREFILTERED =
	'if ((emojiCodePointRegex.test(segment) && rgiEmojiRegex.test(segment)) || isDoubleWidthNonRgiEmojiSequence(segment)) {';

/**
 * string-width tests each non-ASCII grapheme cluster against `/^\p{RGI_Emoji}$/v`. V8 builds that
 * expression (every recommended emoji sequence) when it is first used, which costs more than the
 * rest of measuring the first frame's text (the header's `◌` or `│` is enough to trigger it).
 * Every RGI emoji sequence is made of emoji characters (Unicode TS #51: basic emoji, keycaps,
 * flags, modifier, tag and ZWJ sequences), so a cluster without a code point of the Emoji
 * property cannot match: testing `/\p{Emoji}/u` first gives the same answers, and the big
 * expression is built only once a cluster could be an emoji. test/build-plugins.test.ts checks it.
 */
export function stringWidthEmojiPrefilter(found) {
	return {
		name: 'string-width-emoji-prefilter',
		setup(build) {
			build.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/}, async (args) => {
				const text = await readFile(args.path, 'utf8');
				if (!text.includes(STRING_WIDTH_EMOJI_TEST)) return {contents: text, loader: 'js'};
				found.stringWidth = true;
				const contents = `${text.replace(STRING_WIDTH_EMOJI_TEST, STRING_WIDTH_EMOJI_TEST_PREFILTERED)}\nconst emojiCodePointRegex = /\\p{Emoji}/u;\n`;
				return {contents, loader: 'js'};
			});
		},
	};
}
