/** Shared helpers for the server, client and CLI tests: temp state, HTTP calls, sockets, spawned CLIs. */
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {io, type Socket, type ManagerOptions, type SocketOptions} from 'socket.io-client';
import {resolveConfig, type Config, type Flags} from '../../source/config.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

const tempDirs: string[] = [];
process.on('exit', () => {
	for (const dir of tempDirs) fs.rmSync(dir, {recursive: true, force: true});
});

/** A fresh temp dir, removed when the test process exits. */
export function tempDir(prefix = 'mpm-tui-test-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.push(dir);
	return dir;
}

/** A Config on a free port (port 0) whose state (journal, spool) lives in a fresh temp dir. */
export function testConfig(
	flags: Flags = {},
	env: Record<string, string> = {},
	stateDir = tempDir(),
): Config {
	return resolveConfig({port: 0, ...flags}, {MPM_TUI_STATE_DIR: stateDir, ...env}, stateDir);
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

export interface HttpAnswer {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export async function request(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
	const response = await fetch(url, {...init, signal: AbortSignal.timeout(5000)});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {status: response.status, headers: response.headers, text, json};
}

export function postJson(
	base: string,
	pathName: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<HttpAnswer> {
	return request(base + pathName, {
		method: 'POST',
		headers: {'Content-Type': 'application/json', ...headers},
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

let counter = 0;
/** A distinct hook payload (distinct so the 2 s duplicate window never merges two of them). */
export function hookEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	counter++;
	return {
		session_id: 'sess-test',
		transcript_path: '/tmp/t.jsonl',
		cwd: '/repo',
		hook_event_name: 'PreToolUse',
		tool_name: 'Bash',
		tool_input: {command: `echo ${counter}-${Math.random().toString(36).slice(2)}`},
		tool_use_id: `toolu_${counter}_${Math.random().toString(36).slice(2)}`,
		...overrides,
	};
}

export function connect(
	url: string,
	auth: Record<string, unknown> = {client: 'mpm-tui'},
	options: Partial<ManagerOptions & SocketOptions> = {},
): Socket {
	return io(url, {
		auth,
		transports: ['websocket'],
		reconnection: false,
		forceNew: true,
		timeout: 3000,
		...options,
	});
}

/** Resolves on `connect`, rejects with the server's reason on `connect_error`. */
export function connected(socket: Socket, ms = 4000): Promise<void> {
	return withTimeout(
		new Promise<void>((resolve, reject) => {
			if (socket.connected) return resolve();
			socket.once('connect', () => resolve());
			socket.once('connect_error', (error) => reject(error));
		}),
		ms,
		'a socket connection',
	);
}

export function nextEvent<T = any>(socket: Socket, name: string, ms = 4000): Promise<T> {
	return withTimeout(
		new Promise<T>((resolve) => socket.once(name, (value: T) => resolve(value))),
		ms,
		`"${name}"`,
	);
}

/** Collects every record from `events` batches; `until(n)` waits for at least n. */
export function collectEvents(socket: Socket): {
	records: any[];
	batches: number;
	/** Resolves with the records once `n` of them (those `keep` accepts, when given) have come. */
	until(n: number, ms?: number, keep?: (record: any) => boolean): Promise<any[]>;
} {
	const state = {records: [] as any[], batches: 0, waiters: [] as Array<() => void>};
	socket.on('events', (batch: any[]) => {
		state.batches++;
		state.records.push(...batch);
		for (const w of state.waiters) w();
	});
	return {
		get records() {
			return state.records;
		},
		get batches() {
			return state.batches;
		},
		until(n: number, ms = 5000, keep?: (record: any) => boolean) {
			const kept = () => (keep ? state.records.filter(keep) : state.records);
			return withTimeout(
				new Promise<any[]>((resolve) => {
					const check = () => {
						const records = kept();
						if (records.length >= n) resolve(records);
					};
					state.waiters.push(check);
					check();
				}),
				ms,
				`${n} events (have ${kept().length})`,
			);
		},
	};
}

export interface Spawned {
	child: ChildProcess;
	stdout: () => string;
	stderr: () => string;
	lines: () => any[];
	waitFor(test: (stdout: string, stderr: string) => boolean, what: string, ms?: number): Promise<void>;
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	kill(): Promise<void>;
}

const spawned = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of spawned) child.kill('SIGKILL');
});

export function spawnCli(
	args: string[],
	env: Record<string, string>,
	options: {shell?: string} = {},
): Spawned {
	const fullEnv = {
		...process.env,
		NODE_ENV: 'production',
		MPM_TUI_TOKEN: '',
		CLAUDE_MPM_SOCKETIO_TOKEN: '',
		// Settings and transcripts under the test's HOME, never a developer's moved Claude folder.
		CLAUDE_CONFIG_DIR: '',
		...env,
	};
	const child = options.shell
		? spawn('sh', ['-c', options.shell], {env: fullEnv, stdio: ['ignore', 'pipe', 'pipe']})
		: spawn(process.execPath, [CLI, ...args], {env: fullEnv, stdio: ['pipe', 'pipe', 'pipe']});
	spawned.add(child);
	let out = '';
	let err = '';
	const waiters: Array<() => void> = [];
	child.stdout!.on('data', (d: Buffer) => {
		out += d.toString();
		for (const w of waiters) w();
	});
	child.stderr!.on('data', (d: Buffer) => {
		err += d.toString();
		for (const w of waiters) w();
	});
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
		child.on('close', (code, signal) => {
			spawned.delete(child);
			for (const w of waiters) w();
			resolve({code, signal});
		}),
	);
	return {
		child,
		stdout: () => out,
		stderr: () => err,
		lines: () =>
			out
				.split('\n')
				.filter((l) => l.trim() !== '')
				.map((l) => JSON.parse(l)),
		waitFor(test, what, ms = 8000) {
			return withTimeout(
				new Promise<void>((resolve, reject) => {
					const check = () => {
						if (test(out, err)) resolve();
						else if (child.exitCode !== null || child.signalCode !== null)
							reject(new Error(`process ended before ${what}; stderr: ${err}`));
					};
					waiters.push(check);
					check();
				}),
				ms,
				`${what} (stderr so far: ${err.trim()})`,
			);
		},
		exited,
		async kill() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				await withTimeout(exited, 5000, 'the process to exit').catch(() => child.kill('SIGKILL'));
			}
		},
	};
}

/** Spawns `mpm-tui --server-only --port 0` and waits for its "listening on" line. */
export async function spawnServer(
	env: Record<string, string>,
	extraArgs: string[] = [],
): Promise<Spawned & {url: string; port: number}> {
	const proc = spawnCli(['--server-only', '--port', '0', ...extraArgs], env);
	await proc.waitFor((_, err) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(err), 'the server to listen');
	const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stderr())![1];
	return Object.assign(proc, {url, port: Number(url.split(':')[2])});
}
