/**
 * Forwarder wall time per event: what Claude Code waits for, from spawn to exit, with a real
 * hook payload on stdin. Server up (a real HTTP server answering 202) and server down (nothing
 * listening: the event is spooled). Each forwarder is compared with its baseline measured in the
 * same run, interleaved run by run:
 *   node variant  vs  `node -e 0`                                   (goal ≤ 1.3×; also with the
 *                     opt-in raw TCP handle, MPM_TUI_HOOK_FAST=1)
 *   sh variant    vs  `sh -c 'cat >/dev/null; curl -s -m 0.3 --data-binary @- URL &'`  (goal ≤ 1.5×)
 * Also checks that no event was lost (every run is either at the server or in the spool).
 *
 * The transports side by side (docs/hooks.md, "Transports"): what Claude Code waits for per event
 * with a command hook (a process: the sh forwarder, the Node forwarder) and with an http hook (no
 * process: one POST over a kept-alive connection from this process, as Claude Code makes it),
 * compared run by run. With the server down the http hook's event is lost (nothing spools it):
 * counted, not a failure.
 *
 * Then cause before effect (docs/ARCHITECTURE.md "Order of a session's hooks"): BENCH_PAIRS
 * (1,000) Pre→Post pairs through the sh forwarder back to back with no pause, as Claude Code runs
 * a session's hooks, against the real mpm-tui server (`--server-only`, a process of its own); the
 * seqs it gave are compared with the order the hooks ran (goal: 0 out of order), and the
 * forwarder's time per hook with the baseline line's, run in alternating blocks of 20 (goal ≤ 1.5×).
 *
 * BENCH_SH_BEFORE=<path of another build's mpm-tui-hook.sh> adds it as a case measured in the same
 * rounds, and in blocks of its own back to back (an interleaved before/after on a machine whose
 * load changes).
 * Needs the build: npm run build.
 */
import {spawn} from 'node:child_process';
import http from 'node:http';
import {mkdtempSync, readFileSync, rmSync, existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {resolveConfig} from '../source/config.js';
import {startServer} from '../source/server/server.js';
import {startCaptureServer} from '../test/helpers/capture-server.js';
import {freePort} from '../test/helpers/free-port.js';
import {nodeForwarder, shForwarder} from '../test/helpers/forwarder.js';
import {httpHookUrl} from '../source/core/http-hook-url.js';
import {goal} from './lib/goal.js';
import {startMpmTui} from './lib/harness.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1000);
const SH_BEFORE = process.env.BENCH_SH_BEFORE;
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
		child.on('exit', (code) => {
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
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Case {
	label: string;
	command: string;
	args: (url: string) => string[];
	/** Variables added to the run's environment. */
	env?: NodeJS.ProcessEnv;
	/** No process: one POST from this process, as Claude Code's http hook makes it. */
	http?: true;
}

const HTTP_LABEL = 'http hook (POST, keep-alive)';
const SH_BEFORE_LABEL = 'mpm-tui-hook.sh (BENCH_SH_BEFORE)';
const LABELS = {
	nodeBase: 'node -e 0 (baseline)',
	node: 'mpm-tui-hook (node)',
	shBase: 'sh cat+curl & (baseline)',
	sh: 'mpm-tui-hook.sh (sh)',
};

/**
 * One http hook's event: the time until the answer is read, or until the connection is refused
 * (Claude Code then reports a hook error; the event is lost). Resolves whether it was answered.
 */
function timeHttp(url: string, agent: http.Agent): Promise<{ms: number; answered: boolean}> {
	return new Promise((resolve) => {
		const start = process.hrtime.bigint();
		const done = (answered: boolean) =>
			resolve({ms: Number(process.hrtime.bigint() - start) / 1e6, answered});
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				headers: {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)},
			},
			(res) => {
				res.resume();
				res.on('end', () => done((res.statusCode ?? 0) < 300));
			},
		);
		req.on('error', () => done(false));
		req.end(payload);
	});
}

const cases: Case[] = [
	{label: LABELS.nodeBase, command: process.execPath, args: () => ['-e', '0']},
	{label: LABELS.node, command: process.execPath, args: () => [nodeForwarder]},
	{
		label: 'mpm-tui-hook (node, MPM_TUI_HOOK_FAST=1)',
		command: process.execPath,
		args: () => [nodeForwarder],
		env: {MPM_TUI_HOOK_FAST: '1'},
	},
	{
		label: LABELS.shBase,
		command: 'sh',
		args: (url) => ['-c', `cat >/dev/null; curl -s -m 0.3 --data-binary @- ${url} >/dev/null 2>&1 &`],
	},
	{label: LABELS.sh, command: 'sh', args: () => [shForwarder]},
	{label: HTTP_LABEL, command: '', args: () => [], http: true},
	...(SH_BEFORE ? [{label: SH_BEFORE_LABEL, command: 'sh', args: () => [SH_BEFORE]}] : []),
];

async function measure(
	port: number,
	stateDir: string,
): Promise<{times: Map<string, number[]>; httpAnswered: number}> {
	const url = `http://127.0.0.1:${port}/api/events`;
	const hookUrl = httpHookUrl(`http://127.0.0.1:${port}`);
	const agent = new http.Agent({keepAlive: true, maxSockets: 1});
	let httpAnswered = 0;
	const env = {
		PATH: process.env.PATH,
		HOME: stateDir,
		MPM_TUI_STATE_DIR: stateDir,
		MPM_TUI_PORT: String(port),
	};
	const times = new Map(cases.map((c) => [c.label, [] as number[]]));
	const run = async (c: Case): Promise<number> => {
		if (!c.http) return timeOne(c.command, c.args(url), {...env, ...c.env});
		const {ms, answered} = await timeHttp(hookUrl, agent);
		if (answered) httpAnswered++;
		return ms;
	};
	for (const c of cases) await run(c); // warm the page cache (and open the http hook's connection)
	await sleep(300);
	for (let i = 0; i < RUNS; i++) {
		for (const c of cases) {
			times.get(c.label)!.push(await run(c));
			await sleep(GAP_MS);
		}
	}
	await sleep(500);
	agent.destroy();
	return {times, httpAnswered};
}

/** Median of run-by-run ratios a/b (each round shares the machine's load of the moment). */
const pairedRatio = (a: number[], b: number[]): number => median(a.map((x, i) => x / b[i]));

async function main(): Promise<void> {
	const stateDir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-bench-fwd-'));
	const server = await startCaptureServer();
	const rows: string[][] = [];
	const transportLines: string[] = [];
	let lost = 0;
	/** The goals' paired ratios, printed as GOAL lines at the end. */
	const ratios: Array<[string, number]> = [];
	try {
		for (const mode of ['up', 'down'] as const) {
			const port = mode === 'up' ? server.port : await freePort();
			const dir = path.join(stateDir, mode);
			const before = server.requests.length;
			const {times, httpAnswered} = await measure(port, dir);
			const base = {node: times.get(LABELS.nodeBase)!, sh: times.get(LABELS.shBase)!};
			for (const c of cases) {
				const t = times.get(c.label)!;
				const ref = c.command === 'sh' ? base.sh : base.node;
				const paired = pairedRatio(t, ref);
				if (c.label === LABELS.node || c.label === LABELS.sh)
					ratios.push([`forwarder.${c.label === LABELS.sh ? 'sh' : 'node'}.${mode}.paired`, paired]);
				rows.push([
					`server ${mode}`,
					c.label,
					median(t).toFixed(1),
					Math.min(...t).toFixed(1),
					Math.max(...t).toFixed(1),
					`${(median(t) / median(ref)).toFixed(2)}×`,
					`${paired.toFixed(2)}×`,
				]);
			}
			// Lost-event check: (runs + warm-up) per forwarder, at the server or in the spool.
			const expected = cases.filter((c) => !c.label.includes('(baseline)') && !c.http).length * (RUNS + 1);
			const spool = path.join(dir, 'spool.ndjson');
			const spooled = existsSync(spool) ? readFileSync(spool, 'utf8').split('\n').filter(Boolean).length : 0;
			const posted = server.requests.slice(before).filter((r) => r.headers['x-mpm-id'] !== undefined).length;
			const got = mode === 'up' ? posted + spooled : spooled;
			if (got !== expected) lost += expected - got;
			rows.push([
				`server ${mode}`,
				`forwarders' events delivered/spooled: ${got} of ${expected}`,
				'',
				'',
				'',
				'',
				'',
			]);
			rows.push([
				`server ${mode}`,
				`http hook's events answered: ${httpAnswered} of ${RUNS + 1}${mode === 'down' ? ' (the rest lost, each a hook error in Claude Code)' : ''}`,
				'',
				'',
				'',
				'',
				'',
			]);
			if (mode === 'up' && httpAnswered !== RUNS + 1) lost += RUNS + 1 - httpAnswered;
			const h = times.get(HTTP_LABEL)!;
			const ms = (label: string) => median(times.get(label)!).toFixed(1);
			if (SH_BEFORE)
				transportLines.push(
					`  server ${mode}: mpm-tui-hook.sh / BENCH_SH_BEFORE ${pairedRatio(times.get(LABELS.sh)!, times.get(SH_BEFORE_LABEL)!).toFixed(2)}× (median of paired ratios)`,
				);
			transportLines.push(
				`  server ${mode}: command sh ${ms(LABELS.sh)} ms, command node ${ms(LABELS.node)} ms, http ${ms(HTTP_LABEL)} ms; http/sh ${pairedRatio(h, times.get(LABELS.sh)!).toFixed(3)}×, http/node ${pairedRatio(h, times.get(LABELS.node)!).toFixed(3)}× (medians of paired ratios)`,
			);
		}
	} finally {
		await server.close();
		rmSync(stateDir, {recursive: true, force: true});
	}
	const header = ['mode', 'command', 'median ms', 'min', 'max', 'median/median', 'median of paired ratios'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const fmt = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ');
	console.log(
		`forwarder wall time per event (spawn → exit), ${RUNS} runs each, payload ${payload.length} bytes`,
	);
	console.log(fmt(header));
	for (const r of rows) console.log(fmt(r));
	console.log('\nwhat a hook costs Claude Code per event, by transport (median wall time it waits):');
	for (const line of transportLines) console.log(line);
	const real = await httpToServer();
	lost += RUNS * 4 - real.answered;
	console.log(
		`  http hook to the mpm-tui server (journal on) ${real.server.toFixed(2)} ms, to the capture server ${real.capture.toFixed(2)} ms: ${real.paired.toFixed(2)}× (median of paired ratios; answered ${real.answered} of ${RUNS * 4})`,
	);
	const order = await backToBack();
	console.log(
		`\nback to back: ${PAIRS} Pre→Post pairs through mpm-tui-hook.sh with no pause, against the mpm-tui server`,
	);
	console.log(
		`  per hook: forwarder median ${order.forwarder.toFixed(1)} ms, baseline line median ${order.baseline.toFixed(1)} ms: ${(order.forwarder / order.baseline).toFixed(2)}× (median of paired block ratios ${order.paired.toFixed(2)}×)`,
	);
	if (order.before)
		console.log(
			`  BENCH_SH_BEFORE per hook: median ${order.before.median.toFixed(1)} ms: ${(order.before.median / order.baseline).toFixed(2)}× (median of paired block ratios ${order.before.paired.toFixed(2)}×); this build / BENCH_SH_BEFORE ${order.before.afterBefore.toFixed(2)}× (median of block ratios)`,
		);
	console.log(
		`  out of order: ${order.outOfOrder} of ${order.events}; events at the server ${order.received}; held ${order.held} (longest ${order.longestMs} ms), timed out ${order.timedOut}, overflow ${order.overflow}`,
	);
	lost += order.events - order.received;
	if (lost > 0) console.log(`LOST EVENTS: ${lost}`);
	console.log('');
	for (const [name, ratio] of ratios)
		goal(name, ratio, '<=', name.includes('.sh.') ? 1.5 : 1.3, {unit: '×', digits: 2});
	goal('forwarder.sh.back-to-back.paired', order.paired, '<=', 1.5, {unit: '×', digits: 2});
	goal('forwarder.sh.back-to-back.out-of-order', order.outOfOrder, '<=', 0, {digits: 0});
	goal('forwarder.lost', lost, '<=', 0, {digits: 0});
}

/**
 * The http hook's POST to the real mpm-tui server (journal on: it answers once the event is
 * written) against the same POST to the capture server (answers at once), alternated run by run.
 */
async function httpToServer() {
	const stateDir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-bench-http-'));
	const capture = await startCaptureServer();
	const server = await startServer(
		resolveConfig({port: await freePort()}, {MPM_TUI_STATE_DIR: stateDir}, stateDir),
	);
	const agents = [
		new http.Agent({keepAlive: true, maxSockets: 1}),
		new http.Agent({keepAlive: true, maxSockets: 1}),
	];
	try {
		const urls = [httpHookUrl(server.url), httpHookUrl(`http://127.0.0.1:${capture.port}`)];
		for (let i = 0; i < 2; i++) await timeHttp(urls[i], agents[i]);
		const toServer: number[] = [];
		const toCapture: number[] = [];
		let answered = 0;
		for (let i = 0; i < RUNS * 4; i++) {
			const a = await timeHttp(urls[0], agents[0]);
			const b = await timeHttp(urls[1], agents[1]);
			if (a.answered) answered++;
			toServer.push(a.ms);
			toCapture.push(b.ms);
			await sleep(5);
		}
		return {
			server: median(toServer),
			capture: median(toCapture),
			paired: pairedRatio(toServer, toCapture),
			answered,
		};
	} finally {
		for (const agent of agents) agent.destroy();
		await server.close();
		await capture.close();
		rmSync(stateDir, {recursive: true, force: true});
	}
}

/** A Pre→Post pair of one Grep call, as Claude Code sends them. */
function pair(i: number): string[] {
	const common = {
		session_id: '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
		cwd: '/home/u/app',
		permission_mode: 'default',
		tool_name: 'Grep',
		tool_input: {pattern: `needle${i}`, path: '/home/u/app/source'},
		tool_use_id: `toolu_bench_${i}`,
	};
	return [
		JSON.stringify({...common, hook_event_name: 'PreToolUse'}),
		JSON.stringify({
			...common,
			hook_event_name: 'PostToolUse',
			tool_response: {mode: 'files_with_matches', filenames: [`/home/u/app/source/f${i}.ts`], numFiles: 1},
			duration_ms: 12,
		}),
	];
}

/** Like timeOne, with `input` on stdin. */
function timeInput(command: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const start = process.hrtime.bigint();
		const child = spawn(command, args, {env, stdio: ['pipe', 'ignore', 'ignore']});
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0
				? resolve(Number(process.hrtime.bigint() - start) / 1e6)
				: reject(new Error(`${command} exited ${code}`)),
		);
		child.stdin.on('error', () => {});
		child.stdin.end(input);
	});
}

/**
 * BENCH_PAIRS pairs, each hook's forwarder waited for before the next starts, in blocks of 20 hooks
 * alternating with 20 runs of the baseline line. Both post to a real mpm-tui server, each to its
 * own (the baseline's events would be duplicates at the forwarder's), so that both lines load the
 * machine with the same server work; each server runs in a process of its own, as it does beside
 * Claude Code (in this one its work would hold up this event loop's reading of each exit).
 */
async function backToBack() {
	const capture = await startCaptureServer();
	const server = await startMpmTui(['--no-journal']);
	const baselineServer = await startMpmTui(['--no-journal']);
	const stateDir = server.stateDir!;
	// BENCH_SH_BEFORE's own state dir: its copies of stdin would otherwise be named as earlier hooks by this build's.
	const beforeDir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-bench-order-before-'));
	const status = async () =>
		(await (await fetch(`${server.url}/api/status`)).json()) as {
			events: {total: number};
			order: {held: number; longestMs: number; timedOut: number; overflow: number; waiting: number};
		};
	try {
		const env = {
			PATH: process.env.PATH,
			HOME: stateDir,
			MPM_TUI_STATE_DIR: stateDir,
			MPM_TUI_PORT: String(server.port),
		};
		const baseline = [
			'-c',
			`cat >/dev/null; curl -s -m 0.3 --data-binary @- http://127.0.0.1:${baselineServer.port}/api/events >/dev/null 2>&1 &`,
		];
		const events = Array.from({length: PAIRS}, (_, i) => pair(i)).flat();
		const forwarderTimes: number[] = [];
		const baselineTimes: number[] = [];
		const blockRatios: number[] = [];
		// BENCH_SH_BEFORE: another build's forwarder in blocks of its own, posting to the capture
		// server (its events would be duplicates of these at the mpm-tui server).
		const beforeEnv = {
			...env,
			HOME: beforeDir,
			MPM_TUI_STATE_DIR: beforeDir,
			MPM_TUI_PORT: String(capture.port),
		};
		const beforeTimes: number[] = [];
		const beforeRatios: number[] = [];
		const BLOCK = 20;
		for (let at = 0; at < events.length; at += BLOCK) {
			const block = events.slice(at, at + BLOCK);
			const f: number[] = [];
			const b: number[] = [];
			for (const event of block) f.push(await timeInput('sh', [shForwarder], env, event));
			for (const event of block) b.push(await timeInput('sh', baseline, env, event));
			forwarderTimes.push(...f);
			baselineTimes.push(...b);
			blockRatios.push(median(f) / median(b));
			if (SH_BEFORE) {
				const o: number[] = [];
				for (const event of block) o.push(await timeInput('sh', [SH_BEFORE], beforeEnv, event));
				beforeTimes.push(...o);
				beforeRatios.push(median(o) / median(b));
			}
		}
		const deadline = Date.now() + 15_000;
		while ((await status()).events.total < events.length && Date.now() < deadline) await sleep(50);
		const seen: string[] = [];
		for (let since = 0; ;) {
			const page = (await (await fetch(`${server.url}/api/events?since=${since}&limit=10000`)).json()) as {
				events: Array<{payload: {hook_event_name: string; tool_use_id: string}}>;
				next: number;
				more: boolean;
			};
			seen.push(...page.events.map((r) => `${r.payload.hook_event_name}:${r.payload.tool_use_id}`));
			if (!page.more) break;
			since = page.next;
		}
		// Out of order: an event given its seq after one whose hook ran later.
		const position = new Map(
			events.map((event, i) => [
				`${(JSON.parse(event) as {hook_event_name: string}).hook_event_name}:toolu_bench_${Math.floor(i / 2)}`,
				i,
			]),
		);
		let latest = -1;
		let outOfOrder = 0;
		for (const key of seen) {
			const at = position.get(key) ?? -1;
			if (at < latest) outOfOrder++;
			latest = Math.max(latest, at);
		}
		const stats = (await status()).order;
		return {
			events: events.length,
			received: new Set(seen).size,
			outOfOrder,
			forwarder: median(forwarderTimes),
			baseline: median(baselineTimes),
			paired: median(blockRatios),
			before: SH_BEFORE
				? {
						median: median(beforeTimes),
						paired: median(beforeRatios),
						// This build's blocks against the other build's, block by block.
						afterBefore: median(blockRatios.map((r, i) => r / beforeRatios[i])),
					}
				: undefined,
			...stats,
		};
	} finally {
		await Promise.all([server.stop(), baselineServer.stop()]);
		await capture.close();
		rmSync(beforeDir, {recursive: true, force: true});
	}
}

await main();
