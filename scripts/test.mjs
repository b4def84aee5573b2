// Runs every test/**/*.test.ts(x) file with Node's test runner (TypeScript through tsx).
// Usage: node scripts/test.mjs [substring...]  — only files whose path contains a substring.
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';

function walk(dir) {
	return readdirSync(dir).flatMap((name) => {
		const p = path.join(dir, name);
		return statSync(p).isDirectory() ? walk(p) : [p];
	});
}

const only = process.argv.slice(2);
const files = walk('test')
	.filter((f) => /\.test\.tsx?$/.test(f))
	.filter((f) => only.length === 0 || only.some((s) => f.includes(s)))
	.sort();
if (files.length === 0) {
	console.error('no test files matched');
	process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
	stdio: 'inherit',
});
process.exit(result.status ?? 1);
