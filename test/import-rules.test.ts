/**
 * docs/ARCHITECTURE.md's "Layout and import rules" table is what the code does: every import
 * specifier of every file under source/ (read by TypeScript's own `ts.preProcessFile`) is checked
 * against the table's rule for the file's folder. A rule is the backticked names in its
 * "may import" cell: our folders and files (`core`, `client`, `config.ts`, …; `*` for all), and
 * for source/core the packages it may use (core is pure: no Node built-ins either).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, 'source');
const doc = readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8');

/** The table's rows: `source/x/` or `source/x.ts` → the names its may-import cell allows. */
function rules(): Map<string, Set<string>> {
	const start = doc.indexOf('## Layout and import rules');
	const table = doc.slice(start, doc.indexOf('\n## ', start + 1));
	const out = new Map<string, Set<string>>();
	for (const line of table.split('\n')) {
		const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
		const name = /^`source\/([^`/]+)\/?`$/.exec(cells[1] ?? '')?.[1];
		if (name === undefined) continue;
		out.set(name, new Set([...(cells[3] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1])));
	}
	return out;
}

function walk(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
		entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
	);
}

/** The folder (or top-level file) of source/ a path is in: `tui`, `core`, `config.ts`. */
function unitOf(file: string): string {
	return path
		.relative(source, file)
		.split(path.sep)[0]
		.replace(/\.js$/, '.ts')
		.replace(/\.jsx$/, '.tsx');
}

const files = walk(source).filter((file) => /\.(ts|tsx|cts|mts)$/.test(file));

test('the table has a rule for every folder and file of source/', () => {
	const table = rules();
	for (const unit of new Set(files.map(unitOf)))
		assert.ok(table.has(unit), `docs/ARCHITECTURE.md has a row for source/${unit}`);
});

test('every import of ours follows the rule of the importing folder', () => {
	const table = rules();
	const broken: string[] = [];
	let checked = 0;
	for (const file of files) {
		const from = unitOf(file);
		const allowed = table.get(from) ?? new Set<string>();
		for (const {fileName: spec} of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
			checked++;
			if (spec.startsWith('.')) {
				const to = unitOf(path.resolve(path.dirname(file), spec));
				if (to !== from && !allowed.has(to) && !allowed.has('*'))
					broken.push(`${path.relative(root, file)} imports ${spec} (source/${to})`);
			} else if (from === 'core' && !allowed.has(spec)) {
				broken.push(
					`${path.relative(root, file)} imports ${spec}: core uses only the packages its row names`,
				);
			}
		}
	}
	assert.deepEqual(broken, []);
	assert.ok(checked > 300, `${checked} imports read`);
});

test('the forwarder imports nothing but Node built-ins', () => {
	const specs = ts
		.preProcessFile(readFileSync(path.join(source, 'hook/forward.cts'), 'utf8'), true, true)
		.importedFiles.map((i) => i.fileName);
	assert.deepEqual(
		specs.filter((spec) => !spec.startsWith('node:')),
		[],
	);
});
