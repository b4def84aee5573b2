/**
 * Runs every bench/*.bench.ts in turn (or those whose name contains an argument) in its own
 * Node process, so that one benchmark's garbage and timers do not colour the next. Prints the
 * machine's load average before and after each, then every GOAL line (bench/lib/goal.ts) in one
 * table; exits 1 if a goal was missed or a benchmark failed.
 */
import {readdirSync} from 'node:fs';
import {spawn} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseGoalLine, type GoalLine} from './lib/goal.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
/**
 * Run only when named (`node --import tsx bench/run.ts soak`, or `npm run soak`): the soak takes
 * minutes, and tui-ab needs another build (BENCH_TUI_BEFORE).
 */
const OPT_IN = new Set(['soak.bench.ts', 'tui-ab.bench.ts']);
const files = readdirSync(here)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => (only.length === 0 ? !OPT_IN.has(f) : only.some((s) => f.includes(s))))
	.sort();

const load = (): string =>
	os
		.loadavg()
		.map((x) => x.toFixed(2))
		.join(' ');

/** Runs one benchmark with its output passed through; resolves its exit status and GOAL lines. */
function runBench(file: string): Promise<{status: string | number; goals: GoalLine[]}> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, file)], {
			stdio: ['inherit', 'pipe', 'inherit'],
			env: {...process.env, NODE_ENV: 'production'},
		});
		const goals: GoalLine[] = [];
		let partial = '';
		child.stdout.on('data', (chunk: Buffer) => {
			process.stdout.write(chunk);
			const lines = (partial + chunk.toString('utf8')).split('\n');
			partial = lines.pop() ?? '';
			for (const line of lines) {
				const parsed = parseGoalLine(line);
				if (parsed) goals.push(parsed);
			}
		});
		child.on('close', (code, signal) => {
			const last = parseGoalLine(partial);
			if (last) goals.push(last);
			resolve({status: code ?? signal ?? 'unknown', goals});
		});
	});
}

console.log(`load average (1, 5, 15 min) before: ${load()} on ${os.cpus().length} cores`);
const rows: Array<{file: string} & GoalLine> = [];
const failedBenches: string[] = [];
for (const file of files) {
	console.log(`\n=== ${file}   (load ${load()})`);
	const {status, goals} = await runBench(file);
	rows.push(...goals.map((g) => ({file, ...g})));
	if (status !== 0) {
		failedBenches.push(file);
		console.log(`!!! ${file} exited with ${status}`);
	}
	console.log(`=== ${file} done   (load ${load()})`);
}
if (files.length === 0) console.log('no benchmarks matched');
console.log(`\nload average (1, 5, 15 min) after: ${load()}`);

if (rows.length > 0) {
	const table = [
		['goal', 'measured', '', 'target', ''],
		...rows.map((r) => [r.name, r.value, r.op, r.target, r.met ? 'met' : 'MISSED']),
	];
	const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
	console.log('\nGOALS');
	for (const row of table)
		console.log(
			row
				.map((cell, i) => (i === 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
				.join('  ')
				.trimEnd(),
		);
}
const missed = rows.filter((r) => !r.met).length;
console.log(
	`\n${rows.length - missed} of ${rows.length} goals met${missed > 0 ? `, ${missed} MISSED` : ''}; ${files.length - failedBenches.length} of ${files.length} benchmarks exited 0${failedBenches.length > 0 ? ` (failed: ${failedBenches.join(', ')})` : ''}`,
);
process.exit(missed > 0 || failedBenches.length > 0 ? 1 : 0);
