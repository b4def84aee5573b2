// esbuild plugins for scripts/build.mjs: changes to dependencies' code in the bundle that make
// the CLI and the TUI start sooner and give the same results. Each says whether it found its target, so that
// the build can warn when a dependency's update moved it.
import {readFile} from 'node:fs/promises';

/** How yoga-layout's loader (Emscripten) turns its base64 into bytes: `atob`, then a copy loop. */
export const YOGA_DECODE =
	'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c';

/**
 * yoga-layout (Ink's layout engine) ships its WebAssembly as a base64 data: URL and, where a global
 * `fetch` exists, as in Node 20, fetches that URL: it loads Node's whole fetch implementation
 * (undici) to decode a string at start-up. Shadowing `fetch` in that one module makes it decode the
 * base64 itself, as it does where there is no fetch; and it decodes with `Buffer.from(…, 'base64')`
 * instead of `atob` and a loop over the characters (the same bytes). `found.yoga` is set when
 * the decoding was found (`fetch` is shadowed either way).
 */
export function yogaWithoutFetch(found) {
	return {
		name: 'yoga-without-fetch',
		setup(build) {
			build.onLoad(
				{filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/},
				async (args) => {
					const text = await readFile(args.path, 'utf8');
					found.yoga = text.includes(YOGA_DECODE);
					const decoded = text.replace(
						YOGA_DECODE,
						() => "var d=new Uint8Array(Buffer.from(a.slice(37),'base64'))",
					);
					return {contents: `const fetch = undefined;\n${decoded}`, loader: 'js'};
				},
			);
		},
	};
}

/** The line of string-width (8.x, the copy Ink measures with) that tests a grapheme cluster for an emoji. */
export const STRING_WIDTH_EMOJI_TEST =
	'if (rgiEmojiRegex.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {';
/** The same test, asking the big expression only about a cluster with an emoji and a non-ASCII code point. */
export const STRING_WIDTH_EMOJI_TEST_PREFILTERED =
	'if ((emojiCodePointRegex.test(segment) && nonAsciiRegex.test(segment) && rgiEmojiRegex.test(segment)) || isDoubleWidthNonRgiEmojiSequence(segment)) {';
/** string-width's big expression, a literal that V8 parses when the module is evaluated. */
export const STRING_WIDTH_EMOJI_REGEX = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
/** The same expression, built the first time a cluster is tested against it. */
export const STRING_WIDTH_EMOJI_REGEX_LAZY =
	"let rgiEmojiRegexBuilt;\nconst rgiEmojiRegex = {test: (segment) => (rgiEmojiRegexBuilt ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(segment)};";

/**
 * string-width tests each non-ASCII grapheme cluster against `/^\p{RGI_Emoji}$/v`, an expression
 * of every recommended emoji sequence. V8 parses it when string-width is loaded and compiles it
 * when it is first used; either costs more than the rest of measuring the first frame's text. Two
 * changes, each with the same answers:
 *  - every RGI emoji sequence is made of emoji characters (Unicode TS #51: basic emoji, keycaps,
 *    flags, modifier, tag and ZWJ sequences) and none is ASCII alone (the digits, `#` and `*` have
 *    the Emoji property, but only their keycap sequences are RGI), so a cluster without a code
 *    point of the Emoji property, or without a non-ASCII one, cannot match: `/\p{Emoji}/u` and
 *    `/[^\0-\x7F]/` are asked first (a header's `◌ starting 127.0.0.1:8765` asks about digits);
 *  - the expression is built the first time a cluster gets that far, not when the module loads.
 * `found.stringWidth` is set when both edits were made. test/build-plugins.test.ts checks them.
 */
export function stringWidthEmojiPrefilter(found) {
	return {
		name: 'string-width-emoji-prefilter',
		setup(build) {
			build.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/}, async (args) => {
				const text = await readFile(args.path, 'utf8');
				if (!text.includes(STRING_WIDTH_EMOJI_TEST) || !text.includes(STRING_WIDTH_EMOJI_REGEX))
					return {contents: text, loader: 'js'};
				found.stringWidth = true;
				const contents = `${text
					.replace(STRING_WIDTH_EMOJI_TEST, () => STRING_WIDTH_EMOJI_TEST_PREFILTERED)
					.replace(
						STRING_WIDTH_EMOJI_REGEX,
						() => STRING_WIDTH_EMOJI_REGEX_LAZY,
					)}\nconst emojiCodePointRegex = /\\p{Emoji}/u;\nconst nonAsciiRegex = /[^\\0-\\x7F]/;\n`;
				return {contents, loader: 'js'};
			});
		},
	};
}

/** meow's bundled dependencies (14.x) evaluate two CommonJS modules when they load: */
export const MEOW_EAGER = {
	/** @babel/code-frame (parse-json's error excerpt; its highlighter builds its tables). */
	codeFrame: 'var libExports = requireLib$1();\n',
	codeFrameUse: 'libExports.codeFrameColumns(',
	/** normalize-package-data (with spdx-correct, which sorts its table with localeCompare). */
	normalize:
		'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
};

/**
 * meow's bundled dependencies evaluate @babel/code-frame and normalize-package-data when meow is
 * loaded, though meow uses the first only to describe a package.json it cannot parse and the second
 * only when `cli.pkg`'s normalized form is asked for (meow normalizes lazily itself). Every
 * command pays for them before it parses its flags: spdx-correct sorts a table with
 * `localeCompare`, which loads ICU's collation. Here both are evaluated on first use, through
 * their own memoizing `require…()` functions. `found.meow` is set when all three edits were made.
 */
export function meowLazyDependencies(found) {
	return {
		name: 'meow-lazy-dependencies',
		setup(build) {
			build.onLoad({filter: /[\\/]node_modules[\\/]meow[\\/]build[\\/]dependencies\.js$/}, async (args) => {
				const text = await readFile(args.path, 'utf8');
				if (!Object.values(MEOW_EAGER).every((part) => text.includes(part)))
					return {contents: text, loader: 'js'};
				found.meow = true;
				const contents = text
					.replace(MEOW_EAGER.codeFrame, () => '')
					.replace(MEOW_EAGER.codeFrameUse, () => 'requireLib$1().codeFrameColumns(')
					.replace(
						MEOW_EAGER.normalize,
						() =>
							'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);',
					);
				return {contents, loader: 'js'};
			});
		},
	};
}
