/**
 * Forwarder wall time per event: what Claude Code waits for, from spawn to exit, with a real
 * hook payload on stdin. Server up (a real HTTP server answering 202) and server down (nothing
 * listening: the event is spooled). Each forwarder is compared with its baseline measured in the
 * same run, interleaved run by run:
 *   node variant  vs  `node -e 0`                                   (goal ≤ 1.3×)
 *   sh variant    vs  `sh -c 'cat >/dev/null; curl -s -m 0.3 --data-binary @- URL &'`  (goal ≤ 1.5×)
 * Also checks that no event was lost (every run is either at the server or in the spool).
 * Needs the build: npm run build.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startCaptureServer} from '../test/helpers/capture-server.js';
import {freePort} from '../test/helpers/free-port.js';
import {nodeForwarder, shForwarder} from '../test/helpers/forwarder.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const GAP_MS = 120; // lets background work (sh's curl) finish before the next measured run

const payload = JSON.stringify({
	session_id: '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
	transcript_path: '/home/u/.claude/projects/-home-u-app/5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b.jsonl',
	cwd: '/home/u/app',
	permission_mode: 'default',
	hook_event_name: 'PostToolUse',
	tool_name: 'Bash',
	tool_input: {command: 'npm test', description: 'Run the test suite'},
	tool_response: {stdout: '  ✓ passes\n'.repeat(150), stderr: '', interrupted: false, isImage: false},
	tool_use_id: 'toolu_01Hq3vX9aTnE2bLw7KcR5mZp',
	duration_ms: 2140,
});

function timeOne(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
	return new Promise((resolve, reject) => {
		const start = process.hrtime.bigint();
		const child = spawn(command, args, {env, stdio: ['pipe', 'ignore', 'ignore']});
		child.on('error', reject);
		child.on('exit', code => {
			if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
			else resolve(Number(process.hrtime.bigint() - start) / 1e6);
		});
		child.stdin.on('error', () => {});
		child.stdin.end(payload);
	});
}

const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

interface Case {
	label: string;
	command: string;
	args: (url: string) => string[];
}

const cases: Case[] = [
	{label: 'node -e 0 (baseline)', command: process.execPath, args: () => ['-e', '0']},
	{label: 'mpm-tui-hook (node)', command: process.execPath, args: () => [nodeForwarder]},
	{label: "sh cat+curl & (baseline)", command: 'sh', args: url => ['-c', `cat >/dev/null; curl -s -m 0.3 --data-binary @- ${url} >/dev/null 2>&1 &`]},
	{label: 'mpm-tui-hook.sh (sh)', command: 'sh', args: () => [shForwarder]},
];

async function measure(port: number, stateDir: string): Promise<Map<string, number[]>> {
	const url = `http://127.0.0.1:${port}/api/events`;
	const env = {PATH: process.env.PATH, HOME: stateDir, MPM_TUI_STATE_DIR: stateDir, MPM_TUI_PORT: String(port)};
	const times = new Map(cases.map(c => [c.label, [] as number[]]));
	for (const c of cases) await timeOne(c.command, c.args(url), env); // warm the page cache
	await sleep(300);
	for (let i = 0; i < RUNS; i++) {
		for (const c of cases) {
			times.get(c.label)!.push(await timeOne(c.command, c.args(url), env));
			await sleep(GAP_MS);
		}
	}
	await sleep(500);
	return times;
}

async function main(): Promise<void> {
	const stateDir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-bench-fwd-'));
	const server = await startCaptureServer();
	const rows: string[][] = [];
	let lost = 0;
	try {
		for (const mode of ['up', 'down'] as const) {
			const port = mode === 'up' ? server.port : await freePort();
			const dir = path.join(stateDir, mode);
			const before = server.requests.length;
			const times = await measure(port, dir);
			const base = {node: times.get(cases[0].label)!, sh: times.get(cases[2].label)!};
			for (const c of cases) {
				const t = times.get(c.label)!;
				const ref = c.command === 'sh' ? base.sh : base.node;
				// Each round runs every case back to back, so a per-round ratio shares the machine's load of the moment.
				const paired = median(t.map((x, i) => x / ref[i]));
				rows.push([`server ${mode}`, c.label, median(t).toFixed(1), Math.min(...t).toFixed(1), Math.max(...t).toFixed(1), `${(median(t) / median(ref)).toFixed(2)}×`, `${paired.toFixed(2)}×`]);
			}
			// Lost-event check: (runs + warm-up) per forwarder, at the server or in the spool.
			const expected = 2 * (RUNS + 1);
			const spool = path.join(dir, 'spool.ndjson');
			const spooled = existsSync(spool) ? readFileSync(spool, 'utf8').split('\n').filter(Boolean).length : 0;
			const posted = server.requests.slice(before).filter(r => r.headers['x-mpm-id'] !== undefined).length;
			const got = mode === 'up' ? posted + spooled : spooled;
			if (got !== expected) lost += expected - got;
			rows.push([`server ${mode}`, `events delivered/spooled: ${got} of ${expected}`, '', '', '', '', '']);
		}
	} finally {
		await server.close();
		rmSync(stateDir, {recursive: true, force: true});
	}
	const header = ['mode', 'command', 'median ms', 'min', 'max', 'median/median', 'median of paired ratios'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
	const fmt = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ');
	console.log(`forwarder wall time per event (spawn → exit), ${RUNS} runs each, payload ${payload.length} bytes`);
	console.log(fmt(header));
	for (const r of rows) console.log(fmt(r));
	console.log('goals: node ≤ 1.3× node -e 0; sh ≤ 1.5× the fire-and-forget sh line');
	if (lost > 0) {
		console.log(`LOST EVENTS: ${lost}`);
		process.exitCode = 1;
	}
}

await main();
