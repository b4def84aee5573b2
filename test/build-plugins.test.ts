/**
 * scripts/build-plugins.mjs: each dependency bundled with its plugin (by esbuild, as
 * scripts/build.mjs does) gives what the package as published gives, and dist/ (npm run build)
 * has the change.
 *  - string-width with the emoji prefilter measures as string-width does. The plugin's claims — a
 *    grapheme cluster that `/^\p{RGI_Emoji}$/v` matches holds a code point of the Emoji property,
 *    and is not ASCII alone — are checked against V8's own Unicode data for every code point and
 *    every ASCII cluster; widths are compared on emoji sequences of every kind and the TUI's
 *    glyphs; the big expression is built only once a cluster could be an emoji (observed through
 *    the RegExp constructor).
 *  - meow evaluates normalize-package-data and @babel/code-frame on first use (observed through
 *    `localeCompare`, which spdx-correct sorts with when it loads), with the same flags, input,
 *    help, normalized package and parse error as meow as published.
 *  - yoga-layout decoding its own WebAssembly lays out as the package as published does.
 */
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
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

type Found = Record<string, boolean | undefined>;
interface Plugins {
	stringWidthEmojiPrefilter(found: Found): esbuild.Plugin;
	meowLazyDependencies(found: Found): esbuild.Plugin;
	yogaWithoutFetch(found: Found): esbuild.Plugin;
}
type PluginName = keyof Plugins;

let bundles = 0;
/**
 * `source` (an ES module re-exporting a dependency) bundled by esbuild as scripts/build.mjs does,
 * with the plugin named or without one; its text, the module and what the plugin found.
 */
async function bundled<T>(
	source: string,
	plugin: PluginName | null,
): Promise<{text: string; module: T; found: Found}> {
	const pluginsPath = pathToFileURL(path.join(repoRoot, 'scripts', 'build-plugins.mjs')).href;
	const plugins = (await import(pluginsPath)) as Plugins;
	const found: Found = {};
	const result = await esbuild.build({
		stdin: {contents: source, resolveDir: repoRoot, loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		write: false,
		plugins: plugin ? [plugins[plugin](found)] : [],
		// As scripts/build.mjs: CommonJS dependencies call require() for Node's built-ins.
		banner: {
			js: "import {createRequire as __mpmTuiCreateRequire} from 'node:module';\nconst require = __mpmTuiCreateRequire(import.meta.url);",
		},
		logLevel: 'error',
	});
	const text = result.outputFiles[0].text;
	const file = path.join(work, `bundle-${++bundles}.mjs`);
	writeFileSync(file, text);
	return {text, module: (await import(pathToFileURL(file).href)) as T, found};
}

/** string-width bundled with the plugin; its source text and its function. */
async function patchedStringWidth(): Promise<{text: string; width: (s: string) => number}> {
	const {text, module, found} = await bundled<{default: (s: string) => number}>(
		"export {default} from 'string-width';",
		'stringWidthEmojiPrefilter',
	);
	assert.equal(found.stringWidth, true, "the plugin found string-width's emoji test and expression");
	return {text, width: module.default};
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

	test('no grapheme cluster of ASCII alone matches RGI_Emoji (digits, # and * are Emoji code points)', () => {
		// The clusters ASCII text splits into, from V8's own segmenter: every pair of characters.
		const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
		const clusters = new Set<string>();
		for (let a = 0; a < 0x80; a++) {
			for (let b = 0; b < 0x80; b++) {
				for (const {segment} of segmenter.segment(String.fromCharCode(a, b))) clusters.add(segment);
			}
		}
		assert.deepEqual(
			[...clusters].filter((c) => c.length > 1),
			['\r\n'],
		);
		assert.ok(clusters.has('1') && EMOJI.test('1'), 'a digit is its own cluster and an Emoji code point');
		assert.deepEqual(
			[...clusters].filter((c) => RGI.test(c)),
			[],
		);
	});

	test("measures as string-width does: emoji sequences of every kind, the TUI's glyphs, mixed text", async () => {
		const {text, width} = await patchedStringWidth();
		assert.ok(
			text.includes(
				'emojiCodePointRegex.test(segment) && nonAsciiRegex.test(segment) && rgiEmojiRegex.test(segment)',
			),
			'the bundle has the prefilter',
		);
		assert.ok(!text.includes('/^\\p{RGI_Emoji}$/v'), 'the expression is not a literal evaluated on load');
		const samples = [
			...emojiSequences(),
			'◌ starting 127.0.0.1:8765',
			'● hosting │ 1 waiting │ 2 sessions',
			'› ✓ ✖ ▶ ⚠ ⊘ ◇ ○ · … ▼ ↑ ↓ ␛ �',
			'中文 日本語 한국어 ﾊﾟ e\u0301 \u200B',
			'refactor 🙂 the 👍🏽 parser 🇫🇷 with 👨‍👩‍👧 and #️⃣',
			'12:04:05 ▶ Bash #1 * 2 ⚠ 3 ✖ 1\uFE0F\u20E3 #\u20E3 9\uFE0F',
		];
		const differ = samples
			.filter((s) => width(s) !== stringWidth(s))
			.map((s) => `${JSON.stringify(s)}: ${width(s)} ≠ ${stringWidth(s)}`);
		assert.deepEqual(differ, []);
		for (const s of samples)
			if (RGI.test(s)) assert.ok(EMOJI.test(s), `${JSON.stringify(s)} is RGI but holds no Emoji code point`);
	});

	test('the big expression is built when a cluster could be an emoji, not for the first frame’s text', async () => {
		const built: string[] = [];
		const Native = globalThis.RegExp;
		globalThis.RegExp = new Proxy(Native, {
			construct(target, args: [string | RegExp, string?]) {
				if (String(args[0]).includes('RGI_Emoji')) built.push(String(args[0]));
				return Reflect.construct(target, args) as object;
			},
		});
		try {
			const {width} = await patchedStringWidth();
			assert.equal(width('◌ starting 127.0.0.1:8765'), 25);
			const header = '● hosting │ 1,204 ev │ 2 sessions │ #3 * 4';
			assert.equal(width(header), stringWidth(header));
			assert.deepEqual(built, [], 'ASCII and non-emoji glyphs do not build it');
			assert.equal(width('ok 👍🏽'), 5);
			assert.equal(built.length, 1, 'an emoji builds it, once');
			assert.equal(width('🇫🇷 and ▶'), stringWidth('🇫🇷 and ▶'));
			assert.equal(built.length, 1);
		} finally {
			globalThis.RegExp = Native;
		}
	});

	test('the built CLI has the prefilter (npm run build)', () => {
		const chunks = path.join(repoRoot, 'dist', 'chunks');
		// No other code in the bundle asks for the bare Emoji property.
		const withPrefilter = readdirSync(chunks).filter((name) =>
			/\\p\{Emoji\}/.test(readFileSync(path.join(chunks, name), 'utf8')),
		);
		assert.equal(withPrefilter.length, 1, withPrefilter.join(', '));
		assert.match(withPrefilter[0], /^tui-/);
		const tui = readFileSync(path.join(chunks, withPrefilter[0]), 'utf8');
		assert.ok(!tui.includes('/^\\p{RGI_Emoji}$/v'), 'no RGI_Emoji literal in the TUI chunk');
		assert.ok(tui.includes('new RegExp("^\\\\p{RGI_Emoji}$","v")'), 'it is built on demand');
	});
});

/** A package.json fixture in its own directory, and an import.meta.url for meow from there. */
function packageDir(name: string, contents: string): {url: string} {
	const dir = path.join(work, name);
	mkdirSync(dir, {recursive: true});
	writeFileSync(path.join(dir, 'package.json'), contents);
	return {url: pathToFileURL(path.join(dir, 'cli.js')).href};
}

type Meow = (help: string, options: Record<string, unknown>) => Record<string, unknown>;

describe('meow with its dependencies evaluated on first use (scripts/build-plugins.mjs)', () => {
	const options = (importMeta: {url: string}, argv: string[]) => ({
		importMeta,
		argv,
		autoHelp: false,
		autoVersion: false,
		allowUnknownFlags: false,
		flags: {
			port: {type: 'number'},
			since: {type: 'number'},
			follow: {type: 'boolean', shortFlag: 'f', default: false},
			scope: {type: 'string', default: 'user'},
		},
	});
	const pkg = JSON.stringify({
		name: 'fixture-cli',
		version: '1.2.3',
		description: 'A fixture',
		license: 'apache 2',
		repository: 'github:example/fixture',
		bin: {'fixture-cli': 'cli.js'},
		dependencies: {left: '^1.0.0'},
	});

	test('evaluates nothing of normalize-package-data (spdx-correct sorts with localeCompare) until cli.pkg is read', async () => {
		let compares = 0;
		const native = String.prototype.localeCompare;
		String.prototype.localeCompare = function (this: string, ...args: Parameters<typeof native>) {
			compares++;
			return native.apply(this, args);
		};
		try {
			const plain = await bundled<{default: Meow}>("export {default} from 'meow';", null);
			assert.ok(compares > 0, 'meow as published sorts spdx-correct’s table when it loads');
			compares = 0;
			const lazy = await bundled<{default: Meow}>("export {default} from 'meow';", 'meowLazyDependencies');
			assert.equal(lazy.found.meow, true, "the plugin found meow's eager dependencies");
			assert.equal(compares, 0, 'the patched meow loads without sorting');
			const cli = lazy.module.default('', options(packageDir('lazy', pkg), ['--port', '9']));
			assert.deepEqual(cli.flags, {port: 9, follow: false, scope: 'user'});
			assert.equal(compares, 0, 'parsing flags does not normalize the package');
			assert.equal((cli.pkg as {_id?: string})._id, 'fixture-cli@1.2.3', 'cli.pkg is normalized on demand');
			assert.ok(compares > 0);
			assert.equal(typeof plain.module.default, 'function');
		} finally {
			String.prototype.localeCompare = native;
		}
	});

	test('gives what meow as published gives: flags, input, help, the normalized package, a package.json it cannot parse', async () => {
		const plain = (await bundled<{default: Meow}>("export {default} from 'meow';", null)).module.default;
		const lazy = (await bundled<{default: Meow}>("export {default} from 'meow';", 'meowLazyDependencies'))
			.module.default;
		const good = packageDir('good', pkg);
		for (const argv of [
			[],
			['tail', '--since', '3', '-f'],
			['--port', '8766', 'hooks', 'install', '--scope', 'project'],
		]) {
			const [a, b] = [plain, lazy].map((meow) => meow('\n  Usage\n    $ fixture-cli\n', options(good, argv)));
			for (const key of ['input', 'flags', 'unnormalizedFlags', 'help', 'pkg'])
				assert.deepEqual(b[key], a[key], `${key} for ${argv.join(' ')}`);
		}
		const broken = packageDir('broken', '{\n  "name": "fixture-cli",\n  "version": 1.2.3\n}\n');
		const errors = [plain, lazy].map((meow) => {
			try {
				meow('', options(broken, []));
				return 'no error';
			} catch (error) {
				return error instanceof Error ? error.message : String(error);
			}
		});
		assert.equal(errors[1], errors[0]);
		assert.match(errors[0], /version/);
		assert.match(errors[0], /\|/, 'the message has a code frame (@babel/code-frame, evaluated on demand)');
	});

	test('the built CLI has it: `mpm-tui --version` sorts nothing (npm run build)', () => {
		const counter =
			"let n=0;const f=String.prototype.localeCompare;String.prototype.localeCompare=function(...a){n++;return f.apply(this,a)};process.on('exit',()=>process.stderr.write('compares='+n))";
		const run = spawnSync(
			process.execPath,
			[
				'--import',
				`data:text/javascript,${encodeURIComponent(counter)}`,
				path.join(repoRoot, 'dist', 'cli.js'),
				'--version',
			],
			{encoding: 'utf8'},
		);
		assert.equal(run.status, 0, run.stderr);
		assert.match(run.stdout, /^\d+\.\d+\.\d+/);
		assert.equal(run.stderr, 'compares=0');
	});
});

interface YogaNode {
	setWidth(w: number): void;
	setHeight(h: number): void;
	setFlexGrow(g: number): void;
	setFlexDirection(d: number): void;
	setPadding(edge: number, p: number): void;
	insertChild(child: YogaNode, index: number): void;
	calculateLayout(w?: number, h?: number, direction?: number): void;
	getComputedLayout(): {left: number; top: number; width: number; height: number};
}
interface Yoga {
	Node: {create(): YogaNode};
	FLEX_DIRECTION_ROW: number;
	EDGE_ALL: number;
	DIRECTION_LTR: number;
}

describe('yoga-layout decoding its WebAssembly itself (scripts/build-plugins.mjs)', () => {
	test('lays out as yoga-layout as published does', async () => {
		const layouts = async (plugin: PluginName | null) => {
			const {module, found} = await bundled<{default: Yoga}>("export {default} from 'yoga-layout';", plugin);
			const Y = module.default;
			const root = Y.Node.create();
			root.setWidth(80);
			root.setHeight(24);
			root.setFlexDirection(Y.FLEX_DIRECTION_ROW);
			root.setPadding(Y.EDGE_ALL, 1);
			const children = [1, 2, 0].map((grow, i) => {
				const child = Y.Node.create();
				if (grow > 0) child.setFlexGrow(grow);
				else child.setWidth(7);
				root.insertChild(child, i);
				return child;
			});
			root.calculateLayout(80, 24, Y.DIRECTION_LTR);
			return {found, boxes: [root, ...children].map((node) => node.getComputedLayout())};
		};
		const plain = await layouts(null);
		const patched = await layouts('yogaWithoutFetch');
		assert.equal(patched.found.yoga, true, "the plugin found yoga's base64 decoding");
		assert.deepEqual(patched.boxes, plain.boxes);
		// 80 - 2 (padding) - 7 = 71 shared 1:2, 23.7 and 47.3, on whole cells: 24 and 47.
		assert.deepEqual(
			patched.boxes.map((b) => b.width),
			[80, 24, 47, 7],
		);
	});
});
