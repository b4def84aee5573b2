/**
 * The TUI's CPU while 2,000 events/s stream, this build against another, in the same hour:
 * BENCH_TUI_BEFORE=<another build's dist/cli.js>. Each round starts each build hosting in a fresh
 * tmux pane (120×40, its own state dir and port), waits 1 s, streams 2,000 events/s for 20 s
 * (tui.bench.ts's stream) and reads the process's CPU from /proc; the order alternates round by
 * round (AB, BA, …) so that both share the machine's changing load. BENCH_ROUNDS (default 4).
 *
 * Goal (issue 15, "the TUI's CPU at 2,000 ev/s no worse than today"): the median of the paired
 * ratios (this / before) ≤ 1.10×, the noise of one pair on this 2-core machine.
 * Not part of `npm run bench` (it needs the other build). Run:
 *   BENCH_TUI_BEFORE=/path/to/old/dist/cli.js node --import tsx bench/tui-ab.bench.ts
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort} from '../test/helpers/free-port.js';
import {cliPath, Tmux} from '../test/helpers/tmux-kit.js';
import {goal} from './lib/goal.js';
import {cpuOver, HookLoad, monitorEnv} from './lib/tui-load.js';

const before = process.env.BENCH_TUI_BEFORE;
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
if (!before || !existsSync(before)) {
	console.error('BENCH_TUI_BEFORE must name another build’s dist/cli.js');
	process.exit(2);
}
if (!existsSync(cliPath)) {
	console.error('build first: npm run build');
	process.exit(1);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One build hosting in a tmux pane: its CPU (% of one core) over 20 s of 2,000 events/s. */
async function streamCpu(cli: string): Promise<number> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-ab-'));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const tmux = new Tmux();
	try {
		const pane = tmux.open('ab', [process.execPath, cli, '--port', String(port)], monitorEnv(dir), {
			columns: 120,
			rows: 40,
		});
		const deadline = Date.now() + 15_000;
		for (;;) {
			const up = await fetch(`${base}/health`).then(
				(response) => response.ok,
				() => false,
			);
			if (up) break;
			if (Date.now() > deadline) throw new Error(`${cli} did not host within 15 s:\n${pane.capture()}`);
			await sleep(100);
		}
		const pid = pane.programPid();
		await sleep(1000);
		const load = new HookLoad(base);
		return await cpuOver(pid, 0, async () => {
			await load.stream(2000, 20);
		});
	} finally {
		tmux.kill();
		rmSync(dir, {recursive: true, force: true});
	}
}

const mine: number[] = [];
const theirs: number[] = [];
const ratios: number[] = [];
console.log(
	`TUI CPU at 2,000 ev/s for 20 s, ${rounds} rounds alternating: this ${cliPath} against ${before}`,
);
for (let round = 0; round < rounds; round++) {
	const order = round % 2 === 0 ? ['this', 'before'] : ['before', 'this'];
	const cpu: Record<string, number> = {};
	for (const which of order) cpu[which] = await streamCpu(which === 'this' ? cliPath : before);
	mine.push(cpu.this);
	theirs.push(cpu.before);
	ratios.push(cpu.this / cpu.before);
	console.log(
		`  round ${round + 1} (${order.join(' then ')}): this ${cpu.this.toFixed(1)} %, before ${cpu.before.toFixed(1)} %, ratio ${(cpu.this / cpu.before).toFixed(2)}×   (load ${os.loadavg()[0].toFixed(2)})`,
	);
}
console.log(
	`median: this ${median(mine).toFixed(1)} %, before ${median(theirs).toFixed(1)} % of one core; median of paired ratios ${median(ratios).toFixed(2)}×`,
);
goal('tui.stream.cpu.of-before', median(ratios), '<=', 1.1, {unit: '×', digits: 2});
