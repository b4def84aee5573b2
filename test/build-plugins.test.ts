/**
 * scripts/build-plugins.mjs: string-width bundled with the emoji prefilter measures as string-width
 * does. The plugin's claim — a grapheme cluster that `/^\p{RGI_Emoji}$/v` matches holds a code
 * point of the Emoji property — is checked against V8's own Unicode data for every code point,
 * and the patched string-width (built by esbuild with the plugin, as scripts/build.mjs does) is
 * compared with the package as published on emoji sequences of every kind and the TUI's glyphs;
 * and dist/ (npm run build) has it.
 */
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import * as esbuild from 'esbuild';
import stringWidth from 'string-width';
import {repoRoot} from './helpers/tmux-kit.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-build-plugins-'));
after(() => rmSync(work, {recursive: true, force: true}));

// A literal with the v flag needs an ES2024 target in tsc; V8 (Node 20) has it.
const RGI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const EMOJI = /\p{Emoji}/u;

interface Plugins {
	stringWidthEmojiPrefilter(found: {stringWidth?: boolean}): esbuild.Plugin;
}

/** string-width bundled with the plugin; its source text and its function. */
async function patchedStringWidth(): Promise<{text: string; width: (s: string) => number}> {
	const pluginsPath = pathToFileURL(path.join(repoRoot, 'scripts', 'build-plugins.mjs')).href;
	const plugins = (await import(pluginsPath)) as Plugins;
	const found: {stringWidth?: boolean} = {};
	const result = await esbuild.build({
		stdin: {contents: "export {default} from 'string-width';", resolveDir: repoRoot, loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		write: false,
		plugins: [plugins.stringWidthEmojiPrefilter(found)],
		logLevel: 'error',
	});
	assert.equal(found.stringWidth, true, "the plugin found string-width's emoji test");
	const text = result.outputFiles[0].text;
	const file = path.join(work, 'string-width-patched.mjs');
	writeFileSync(file, text);
	const width = ((await import(pathToFileURL(file).href)) as {default: (s: string) => number}).default;
	return {text, width};
}

/** Sequences of each kind Unicode TS #51 builds emoji from, over every code point of the kinds involved. */
function emojiSequences(): string[] {
	const all: string[] = [];
	const emoji: string[] = [];
	const bases: string[] = [];
	const modifiers: string[] = [];
	for (let cp = 0; cp <= 0x10_ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff) continue;
		const c = String.fromCodePoint(cp);
		if (/\p{Emoji}/u.test(c)) emoji.push(c);
		if (/\p{Emoji_Modifier_Base}/u.test(c)) bases.push(c);
		if (/\p{Emoji_Modifier}/u.test(c)) modifiers.push(c);
	}
	for (const c of emoji) all.push(c, `${c}\uFE0F`, `${c}\uFE0E`);
	for (const b of bases) for (const m of modifiers) all.push(`${b}${m}`, `${b}${m}\u200D\u2640\uFE0F`);
	for (let a = 0x1f1e6; a <= 0x1f1ff; a++)
		for (let b = 0x1f1e6; b <= 0x1f1ff; b++) all.push(String.fromCodePoint(a, b));
	for (const k of '0123456789#*') all.push(`${k}\uFE0F\u20E3`, `${k}\u20E3`);
	// Subdivision flags: a black flag, tag letters, a cancel tag (England, Scotland, Wales, and one that is not).
	const tags = (s: string) => [...s].map((ch) => String.fromCodePoint(0xe0000 + ch.codePointAt(0)!)).join('');
	for (const region of ['gbeng', 'gbsct', 'gbwls', 'zzzzz']) all.push(`\u{1F3F4}${tags(region)}\u{E007F}`);
	for (const zwj of ['👨‍👩‍👧', '👩‍❤️‍👨', '🏳️‍🌈', '🧑🏽‍💻', '🐕‍🦺', '❤️‍🔥', '👁️‍🗨️']) all.push(zwj);
	return all;
}

describe('string-width with the emoji prefilter (scripts/build-plugins.mjs)', () => {
	test('no code point matches RGI_Emoji without being an Emoji code point', () => {
		const misses: string[] = [];
		for (let cp = 0; cp <= 0x10_ffff; cp++) {
			if (cp >= 0xd800 && cp <= 0xdfff) continue;
			const c = String.fromCodePoint(cp);
			if (RGI.test(c) && !EMOJI.test(c)) misses.push(cp.toString(16));
		}
		assert.deepEqual(misses, []);
	});

	test("measures as string-width does: emoji sequences of every kind, the TUI's glyphs, mixed text", async () => {
		const {text, width} = await patchedStringWidth();
		assert.ok(
			text.includes('emojiCodePointRegex.test(segment) && rgiEmojiRegex.test(segment)'),
			'the bundle has the prefilter',
		);
		const samples = [
			...emojiSequences(),
			'◌ starting 127.0.0.1:8765',
			'● hosting │ 1 waiting │ 2 sessions',
			'› ✓ ✖ ▶ ⚠ ⊘ ◇ ○ · … ▼ ↑ ↓ ␛ �',
			'中文 日本語 한국어 ﾊﾟ e\u0301 \u200B',
			'refactor 🙂 the 👍🏽 parser 🇫🇷 with 👨‍👩‍👧 and #️⃣',
		];
		const differ = samples
			.filter((s) => width(s) !== stringWidth(s))
			.map((s) => `${JSON.stringify(s)}: ${width(s)} ≠ ${stringWidth(s)}`);
		assert.deepEqual(differ, []);
		for (const s of samples)
			if (RGI.test(s)) assert.ok(EMOJI.test(s), `${JSON.stringify(s)} is RGI but holds no Emoji code point`);
	});

	test('the built CLI has the prefilter (npm run build)', () => {
		const chunks = path.join(repoRoot, 'dist', 'chunks');
		// No other code in the bundle asks for the bare Emoji property.
		const withPrefilter = readdirSync(chunks).filter((name) =>
			/\\p\{Emoji\}/.test(readFileSync(path.join(chunks, name), 'utf8')),
		);
		assert.equal(withPrefilter.length, 1, withPrefilter.join(', '));
		assert.match(withPrefilter[0], /^tui-/);
	});
});
