// Builds dist/ for running and publishing:
//  - dist/cli.js: the CLI bundled by esbuild with its dependencies, an ES module whose lazily
//    imported commands and parts (the server, the Socket.IO client, the TUI, fuse.js) are split
//    into dist/chunks/, so a command loads a few files instead of thousands of small modules;
//  - dist/hook/forward.cjs: the Node forwarder, compiled by tsc alone (no bundling: it imports
//    Node built-ins only);
//  - then scripts/post-build.mjs copies the sh forwarder and marks the bins executable.
// Types are checked by `npm run typecheck` (and `npm test`), not here.
import {execFileSync} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import * as esbuild from 'esbuild';
import {meowLazyDependencies, stringWidthEmojiPrefilter, yogaWithoutFetch} from './build-plugins.mjs';

const require = createRequire(import.meta.url);

const found = {yoga: false, stringWidth: false, meow: false};

const outdir = 'dist';
rmSync(outdir, {recursive: true, force: true});

const result = await esbuild.build({
	entryPoints: {cli: 'source/cli.tsx'},
	outdir,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	// React's production build, and no development build in the bundle.
	define: {'process.env.NODE_ENV': '"production"'},
	external: [
		// ws's optional native helpers: used when installed next to the package, skipped when not.
		'bufferutil',
		'utf-8-validate',
		// Ink imports it only when DEV=true (React DevTools); not a dependency of ours.
		'react-devtools-core',
	],
	// CommonJS dependencies in an ES module bundle call require() for Node's built-ins.
	banner: {
		js: "import {createRequire as __mpmTuiCreateRequire} from 'node:module';\nconst require = __mpmTuiCreateRequire(import.meta.url);",
	},
	minify: true,
	logLevel: 'warning',
	plugins: [yogaWithoutFetch(found), stringWidthEmojiPrefilter(found), meowLazyDependencies(found)],
	metafile: true,
});

if (!found.yoga)
	console.warn(
		"build: yoga-layout's WebAssembly decoding was not found as scripts/build-plugins.mjs knows it; it decodes with atob at start-up (slower)",
	);
if (!found.stringWidth)
	console.warn(
		"build: string-width's emoji test was not found as scripts/build-plugins.mjs knows it; the first frame builds its emoji expression (slower)",
	);
if (!found.meow)
	console.warn(
		"build: meow's eagerly evaluated dependencies were not found as scripts/build-plugins.mjs knows them; every command evaluates them at start-up (slower)",
	);

// Modules that find the package root from their own file (source/server/version.ts,
// source/hook/forwarder-command.ts: two levels below it) must land in dist/chunks/, which is two
// levels below it too, never in dist/cli.js.
for (const [file, output] of Object.entries(result.metafile.outputs)) {
	if (file.startsWith(`${outdir}/chunks/`)) continue;
	for (const input of Object.keys(output.inputs)) {
		if (!input.startsWith('source/') || input === 'source/cli.tsx') continue;
		if (readFileSync(input, 'utf8').includes('import.meta.url')) {
			throw new Error(
				`build: ${input} reads paths relative to its own file and must not be in ${file}; import it lazily (await import) from source/cli.tsx`,
			);
		}
	}
}

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.hook.json'], {
	stdio: 'inherit',
});
execFileSync(process.execPath, ['scripts/post-build.mjs'], {stdio: 'inherit'});
