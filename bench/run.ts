/**
 * Runs every bench/*.bench.ts in turn (or those whose name contains an argument) in its own
 * Node process, so that one benchmark's garbage and timers do not colour the next.
 */
import {readdirSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
/** Run only when named (`node --import tsx bench/run.ts soak`, or `npm run soak`): they take minutes. */
const OPT_IN = new Set(['soak.bench.ts']);
const files = readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => (only.length === 0 ? !OPT_IN.has(f) : only.some((s) => f.includes(s))))
	.sort();
let failed = 0;
for (const file of files) {
	console.log(`\n=== ${file}`);
	const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file)], {
		stdio: 'inherit',
		env: {...process.env, NODE_ENV: 'production'},
	});
	if (r.status !== 0) {
		failed++;
		console.log(`!!! ${file} exited with ${r.status ?? r.signal}`);
	}
}
if (files.length === 0) console.log('no benchmarks matched');
process.exit(failed > 0 ? 1 : 0);
