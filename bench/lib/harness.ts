/** Shared parts of the benchmarks: server processes, a keep-alive load generator, Socket.IO receivers, statistics. */
import {fork, spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {io, type Socket} from 'socket.io-client';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
	name: string;
	url: string;
	port: number;
	child: ChildProcess;
	/** Its state dir (journal, spool, the forwarders' copies), when it has one of its own. */
	stateDir?: string;
	rssMb(): number;
	/** CPU time (user + system) the process has used so far, in seconds. */
	cpuSeconds(): number;
	stop(): Promise<void>;
}

function waitForLine(stream: NodeJS.ReadableStream, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
	return new Promise((resolve, reject) => {
		let text = '';
		const timer = setTimeout(
			() => reject(new Error(`no line matching ${pattern} within ${ms} ms: ${text}`)),
			ms,
		);
		const onData = (chunk: Buffer) => {
			text += chunk.toString();
			const match = pattern.exec(text);
			if (match) {
				clearTimeout(timer);
				stream.off('data', onData);
				resolve(match);
			}
		};
		stream.on('data', onData);
	});
}

function wrap(name: string, child: ChildProcess, port: number, state?: string): ServerProcess {
	return {
		name,
		url: `http://127.0.0.1:${port}`,
		port,
		child,
		stateDir: state,
		rssMb() {
			const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
			const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
			return kb / 1024;
		},
		cpuSeconds() {
			const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			// fields[11] = utime, fields[12] = stime, in clock ticks (100 per second on Linux)
			return (Number(fields[11]) + Number(fields[12])) / 100;
		},
		async stop() {
			if (state) fs.rmSync(state, {recursive: true, force: true});
			if (child.exitCode !== null) return;
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/**
 * The real server as users run it: `node dist/cli.js --server-only --port 0`, journal on (in a temp
 * state dir), stdout to /dev/null. Pass `--no-journal` in `extraArgs` to measure without it.
 */
export async function startMpmTui(extraArgs: string[] = []): Promise<ServerProcess> {
	const state = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-bench-'));
	const child = spawn(
		process.execPath,
		[path.join(ROOT, 'dist', 'cli.js'), '--server-only', '--port', '0', ...extraArgs],
		{
			env: {
				...process.env,
				NODE_ENV: 'production',
				MPM_TUI_STATE_DIR: state,
				MPM_TUI_TOKEN: '',
				CLAUDE_MPM_SOCKETIO_TOKEN: '',
				MPM_TUI_SPOOL: path.join(state, 'spool.ndjson'),
			},
			stdio: ['ignore', 'ignore', 'pipe'],
		},
	);
	const match = await waitForLine(child.stderr!, /listening on http:\/\/127\.0\.0\.1:(\d+)/, 15_000);
	child.stderr!.resume();
	return wrap('mpm-tui', child, Number(match[1]), state);
}

/** The bare baseline (bench/lib/bare-server.mjs) in its own process, run by plain node. */
export async function startBare(): Promise<ServerProcess> {
	const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'lib', 'bare-server.mjs')], {
		env: {...process.env, NODE_ENV: 'production'},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const match = await waitForLine(child.stdout!, /listening (\d+)/, 15_000);
	child.stdout!.resume();
	return wrap('bare', child, Number(match[1]));
}

/** Socket.IO receivers counting every event; mpm-tui ones identify themselves. */
export interface Receiver {
	socket: Socket;
	count: number;
	onEvent?: (event: any, now: number) => void;
}

export async function openReceivers(url: string, n: number, identify: boolean): Promise<Receiver[]> {
	const receivers: Receiver[] = [];
	for (let i = 0; i < n; i++) {
		const socket = io(url, {
			transports: ['websocket'],
			forceNew: true,
			reconnection: false,
			auth: identify ? {client: 'mpm-tui'} : {},
		});
		const receiver: Receiver = {socket, count: 0};
		socket.on('events', (batch: any[]) => {
			receiver.count += batch.length;
			if (receiver.onEvent) {
				const now = performance.now();
				for (const event of batch) receiver.onEvent(event, now);
			}
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		receivers.push(receiver);
	}
	return receivers;
}

export async function waitForCounts(receivers: Receiver[], expected: number, ms = 20_000): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (receivers.every((r) => r.count >= expected)) return true;
		await new Promise((r) => setTimeout(r, 20));
	}
	return receivers.every((r) => r.count >= expected);
}

export const agent = new http.Agent({keepAlive: true, maxSockets: 64});

export function post(port: number, body: string | Buffer, contentType = 'application/json'): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				path: '/api/events',
				method: 'POST',
				agent,
				headers: {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body)},
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

let n = 0;
const RUN = Math.random().toString(36).slice(2, 8);
/** A realistic PreToolUse payload (~500 bytes), distinct every time. */
export function hookPayload(extra: Record<string, unknown> = {}, pad = 0): Record<string, unknown> {
	n++;
	return {
		session_id: '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
		transcript_path: '/home/u/.claude/projects/-home-u-app/5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b.jsonl',
		cwd: '/home/u/app',
		permission_mode: 'default',
		hook_event_name: 'PreToolUse',
		tool_name: 'Bash',
		tool_input: {
			command: `npm test -- --grep case-${RUN}-${n}`,
			description: 'Run the test suite',
			...(pad > 0 ? {content: 'x'.repeat(pad)} : {}),
		},
		tool_use_id: `toolu_${RUN}_${n}`,
		...extra,
	};
}

export function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const fmt = (x: number, digits = 0) =>
	x.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits});

/** `n` Socket.IO receivers in a child process (bench/lib/receivers.ts). */
export interface ReceiverProcess {
	counts(): Promise<number[]>;
	latencies(): Promise<number[]>;
	/** Waits until every receiver has at least `expected` events; false on timeout. */
	waitFor(expected: number, ms?: number): Promise<boolean>;
	close(): Promise<void>;
}

export async function startReceivers(url: string, n: number, identify: boolean): Promise<ReceiverProcess> {
	const child = fork(
		path.join(ROOT, 'bench', 'lib', 'receivers.ts'),
		[url, String(n), identify ? '1' : '0'],
		{execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc']},
	);
	const ask = <T>(type: string): Promise<T> =>
		new Promise((resolve) => {
			const onMessage = (message: any) => {
				if (message.type === type) {
					child.off('message', onMessage);
					resolve(message[type === 'count' ? 'counts' : 'latencies']);
				}
			};
			child.on('message', onMessage);
			child.send({type});
		});
	await new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', (code) => reject(new Error(`receivers exited with ${code}`)));
	});
	return {
		counts: () => ask<number[]>('count'),
		latencies: () => ask<number[]>('latencies'),
		async waitFor(expected, ms = 20_000) {
			const deadline = Date.now() + ms;
			for (;;) {
				const counts = await ask<number[]>('count');
				if (counts.every((c) => c >= expected)) return true;
				if (Date.now() > deadline) return false;
				await new Promise((r) => setTimeout(r, 50));
			}
		},
		async close() {
			const exited = new Promise((r) => child.once('exit', r));
			child.send({type: 'close'});
			await exited;
		},
	};
}
