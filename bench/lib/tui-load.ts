/**
 * What the TUI benchmarks share: a process's CPU from /proc, and a stream of Claude Code-shaped
 * hook events POSTed in batches to a server at a fixed rate.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {hookPayload} from '../../test/helpers/tmux-kit.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

function cpuTicks(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]); // utime, stime
}

/** `pid`'s CPU (% of one core) over `ms`, or over `during` when given. */
export async function cpuOver(pid: number, ms: number, during?: () => Promise<void>): Promise<number> {
	const t0 = performance.now();
	const c0 = cpuTicks(pid);
	if (during) await during();
	else await sleep(ms);
	return ((cpuTicks(pid) - c0) / TICKS / ((performance.now() - t0) / 1000)) * 100;
}

/** The environment a bench runs the monitor in: live redraws (not CI), production React, its own state dir. */
export function monitorEnv(stateDir: string): Record<string, string> {
	return {
		CI: 'false',
		NODE_ENV: 'production',
		MPM_TUI_STATE_DIR: stateDir,
		HOME: stateDir,
		TERM: 'xterm-256color',
		PATH: process.env.PATH ?? '',
	};
}

const tools = ['Bash', 'Read', 'Grep', 'Edit'];

/** Hook events for two sessions, four tools by turns, numbered from 1. */
export class HookLoad {
	/** Events made so far (the last one's number). */
	count = 0;

	constructor(private readonly base: string) {}

	next(): number {
		return ++this.count;
	}

	/** `n` events as one JSON array body. */
	batch(n: number): string {
		const out: Record<string, unknown>[] = [];
		for (let i = 0; i < n; i++) {
			const k = this.next();
			const tool = tools[k % tools.length];
			out.push(
				hookPayload(k, {
					tool_name: tool,
					tool_input:
						tool === 'Bash'
							? {command: `echo step-${k}`}
							: {file_path: `/home/u/app/src/module-${k % 997}.ts`},
					session_id: k % 2 ? 'aaaa1111-0000-4000-8000-000000000001' : 'bbbb2222-0000-4000-8000-000000000002',
				}),
			);
		}
		return JSON.stringify(out);
	}

	/** POSTs `rate` events/s in batches every 50 ms for `seconds` (or until `stop`); returns how many were sent. */
	async stream(rate: number, seconds: number, stop?: () => boolean): Promise<number> {
		const perTick = Math.round(rate / 20);
		const start = performance.now();
		let sent = 0;
		for (let tick = 0; tick < seconds * 20 && !stop?.(); tick++) {
			const response = await fetch(`${this.base}/api/events`, {
				method: 'POST',
				headers: {'Content-Type': 'application/json'},
				body: this.batch(perTick),
			});
			if (response.status >= 300)
				throw new Error(`POST answered ${response.status}: ${await response.text()}`);
			await response.arrayBuffer();
			sent += perTick;
			const wait = start + (tick + 1) * 50 - performance.now();
			if (wait > 0) await sleep(wait);
		}
		return sent;
	}
}
